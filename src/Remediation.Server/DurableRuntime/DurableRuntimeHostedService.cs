using System.Diagnostics;
using DurableTask.AzureStorage;
using DurableTask.Core;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Worker;
using Microsoft.DurableTask.Worker.Shims;
using Microsoft.Extensions.Options;

namespace Remediation.Server.DurableRuntime;

/// <summary>Runs the durable runtime for the host's lifetime: creates the task hub, opens the client sidecar, and executes orchestrations and activities with DTFx's <see cref="TaskHubWorker"/>.</summary>
public sealed partial class DurableRuntimeHostedService : IHostedService, IAsyncDisposable
{
    private readonly DurableRuntimeOptions _options;
    private readonly AzureStorageOrchestrationService _service;
    private readonly DurableTaskTypes _types;
    private readonly SidecarChannel _channel;
    private readonly IServiceProvider _services;
    private readonly ILoggerFactory _loggerFactory;
    private readonly ILogger<DurableRuntimeHostedService> _logger;
    private ClientApiSidecar? _sidecar;
    private TaskHubWorker? _worker;
    private volatile bool _running;

    internal DurableRuntimeHostedService(
        IOptions<DurableRuntimeOptions> options,
        AzureStorageOrchestrationService service,
        DurableTaskTypes types,
        SidecarChannel channel,
        IServiceProvider services,
        ILoggerFactory loggerFactory)
    {
        _options = options.Value;
        _service = service;
        _types = types;
        _channel = channel;
        _services = services;
        _loggerFactory = loggerFactory;
        _logger = loggerFactory.CreateLogger<DurableRuntimeHostedService>();
    }

    /// <summary>True between a completed start and the beginning of shutdown.</summary>
    public bool IsRunning => _running;

    public async Task StartAsync(CancellationToken cancellationToken)
    {
        long startedAt = Stopwatch.GetTimestamp();
        string storage = DescribeStorage(_options);
        try
        {
            try
            {
                await _service.CreateIfNotExistsAsync().WaitAsync(cancellationToken);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                throw new InvalidOperationException(
                    $"Could not create or open task hub '{_options.TaskHubName}' on {storage}: {e.Message}" +
                    (IsEmulator(_options) ? " Is Azurite listening on 127.0.0.1:10000-10002?" : string.Empty),
                    e);
            }

            _sidecar = new ClientApiSidecar(_service, _service, _loggerFactory, _options.SidecarPort);
            int port = await _sidecar.StartAsync(cancellationToken);
            _channel.Open(port);

            _worker = CreateWorker();
            await _worker.StartAsync().WaitAsync(cancellationToken);
            _running = true;
            LogStarted(
                _logger, _options.TaskHubName, storage, _options.EffectiveWorkerId, _options.PartitionCount,
                _types.Orchestrators.Count, _types.Activities.Count, port, (long)Stopwatch.GetElapsedTime(startedAt).TotalMilliseconds);
        }
        catch (Exception e)
        {
            _channel.Fail(e);
            throw;
        }
    }

    public async Task StopAsync(CancellationToken cancellationToken)
    {
        _running = false;
        long stoppingAt = Stopwatch.GetTimestamp();
        try
        {
            // Forced: don't wait for in-flight work items. An interrupted activity is re-delivered after the
            // visibility timeout (at-least-once), which activities are written to tolerate.
            if (_worker is not null)
            {
                await _worker.StopAsync(isForced: true).WaitAsync(cancellationToken);
            }

            if (_sidecar is not null)
            {
                await _sidecar.StopAsync(cancellationToken);
            }

            LogStopped(_logger, _options.TaskHubName, (long)Stopwatch.GetElapsedTime(stoppingAt).TotalMilliseconds);
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            LogStopTimedOut(_logger, _options.TaskHubName, (long)Stopwatch.GetElapsedTime(stoppingAt).TotalMilliseconds);
        }
    }

    public async ValueTask DisposeAsync()
    {
        _worker?.Dispose();
        if (_sidecar is not null)
        {
            await _sidecar.DisposeAsync();
        }
    }

    private TaskHubWorker CreateWorker()
    {
        var shims = new DurableTaskShimFactory(new DurableTaskWorkerOptions { DataConverter = DurableJson.Converter }, _loggerFactory);
        var scopes = _services.GetRequiredService<IServiceScopeFactory>();

        // Failure details (type, message, stack) rather than serialized exceptions: the shims surface them as
        // TaskFailedException.FailureDetails, exactly as Durable Functions does.
        var tolerant = new StorageOutageTolerantService(_service, _loggerFactory.CreateLogger<StorageOutageTolerantService>());
        var worker = new TaskHubWorker(tolerant, _loggerFactory) { ErrorPropagationMode = ErrorPropagationMode.UseFailureDetails };
        foreach (Type type in _types.Orchestrators)
        {
            worker.AddTaskOrchestrations(new NamedObjectCreator<TaskOrchestration>(
                type.Name,
                () => shims.CreateOrchestration(type.Name, (ITaskOrchestrator)ActivatorUtilities.CreateInstance(_services, type))));
        }

        foreach (Type type in _types.Activities)
        {
            worker.AddTaskActivities(new NamedObjectCreator<TaskActivity>(type.Name, () => new ScopedActivityShim(scopes, shims, type)));
        }

        return worker;
    }

    private static bool IsEmulator(DurableRuntimeOptions options) =>
        options.StorageAccountUri is null && options.StorageConnectionString.Contains("UseDevelopmentStorage=true", StringComparison.OrdinalIgnoreCase);

    // Names the account without ever writing a key to the log.
    private static string DescribeStorage(DurableRuntimeOptions options)
    {
        if (options.StorageAccountUri is { } uri)
        {
            return $"{uri.GetLeftPart(UriPartial.Authority)} (Azure AD credential)";
        }

        if (IsEmulator(options))
        {
            return "the local storage emulator (UseDevelopmentStorage=true)";
        }

        string? account = options.StorageConnectionString
            .Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .FirstOrDefault(part => part.StartsWith("AccountName=", StringComparison.OrdinalIgnoreCase))?["AccountName=".Length..];
        return account is null ? "the account in Durable:StorageConnectionString" : $"storage account '{account}'";
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Durable runtime started: task hub {TaskHub} on {Storage}, worker {WorkerId}, {PartitionCount} partitions, {OrchestratorCount} orchestrators, {ActivityCount} activities, client sidecar on 127.0.0.1:{SidecarPort}, in {ElapsedMs} ms")]
    private static partial void LogStarted(
        ILogger logger, string taskHub, string storage, string workerId, int partitionCount, int orchestratorCount, int activityCount, int sidecarPort, long elapsedMs);

    [LoggerMessage(EventId = 2, Level = LogLevel.Information, Message = "Durable runtime for task hub {TaskHub} stopped in {ElapsedMs} ms")]
    private static partial void LogStopped(ILogger logger, string taskHub, long elapsedMs);

    [LoggerMessage(EventId = 3, Level = LogLevel.Warning,
        Message = "Durable runtime for task hub {TaskHub} did not stop within the host's shutdown timeout ({ElapsedMs} ms); in-flight work is re-delivered after the visibility timeout")]
    private static partial void LogStopTimedOut(ILogger logger, string taskHub, long elapsedMs);
}
