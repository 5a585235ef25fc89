using System.Diagnostics;
using Azure;
using Azure.Core;
using Azure.Identity;
using Azure.Storage.Queues;
using Microsoft.Extensions.Options;

namespace Remediation.Server.DurableRuntime;

/// <summary>Whether the task hub's storage answers right now: one request to the hub's work-item queue with a short timeout and no retries, its answer kept for a few seconds.</summary>
/// <remarks>
/// Cached so a load balancer polling /healthz and a burst of failing API calls cost one storage request per period,
/// not one each. The work-item queue because every server of the hub reads it: if it answers, work can go on.
/// </remarks>
public sealed class TaskHubStorageProbe : IDisposable
{
    /// <summary>How long one answer is reused.</summary>
    public static readonly TimeSpan CacheFor = TimeSpan.FromSeconds(2);

    /// <summary>How long one probe may take before storage counts as unreachable.</summary>
    public static readonly TimeSpan Timeout = TimeSpan.FromSeconds(2);

    private readonly QueueClient _queue;
    private readonly TimeProvider _time;
    private readonly SemaphoreSlim _gate = new(1, 1);
    private StorageReachability? _last;
    private long _lastAt;

    public TaskHubStorageProbe(IOptions<DurableRuntimeOptions> options, TimeProvider? time = null)
        : this(CreateQueue(options.Value), time)
    {
    }

    private TaskHubStorageProbe(QueueClient queue, TimeProvider? time = null)
    {
        _queue = queue;
        _time = time ?? TimeProvider.System;
    }

    /// <summary>The latest answer, probing again when the cached one is older than <see cref="CacheFor"/>.</summary>
    public async Task<StorageReachability> CheckAsync(CancellationToken cancellationToken = default)
    {
        if (Fresh() is { } cached)
        {
            return cached;
        }

        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (Fresh() is { } other)
            {
                return other;
            }

            StorageReachability result = await ProbeAsync(cancellationToken);
            _last = result;
            _lastAt = _time.GetTimestamp();
            return result;
        }
        finally
        {
            _gate.Release();
        }
    }

    public void Dispose() => _gate.Dispose();

    private StorageReachability? Fresh() =>
        _last is { } last && _time.GetElapsedTime(_lastAt) < CacheFor ? last : null;

    private async Task<StorageReachability> ProbeAsync(CancellationToken cancellationToken)
    {
        long started = Stopwatch.GetTimestamp();
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        timeout.CancelAfter(Timeout);
        try
        {
            await _queue.GetPropertiesAsync(timeout.Token);
            return StorageReachability.Reachable(Stopwatch.GetElapsedTime(started));
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return StorageReachability.Unreachable($"task hub storage did not answer within {Timeout.TotalSeconds:0} s ({_queue.Uri.GetLeftPart(UriPartial.Authority)})");
        }
        catch (RequestFailedException e) when (e.Status == 404)
        {
            // The account answers; the queue appears when the runtime creates the hub.
            return StorageReachability.Reachable(Stopwatch.GetElapsedTime(started));
        }
        catch (Exception e) when (e is RequestFailedException or HttpRequestException or AuthenticationFailedException or IOException)
        {
            return StorageReachability.Unreachable($"task hub storage is unreachable ({_queue.Uri.GetLeftPart(UriPartial.Authority)}): {FirstLine(e.Message)}");
        }
    }

    private static string FirstLine(string message) => message.Split('\n', 2)[0].Trim();

    private static QueueClient CreateQueue(DurableRuntimeOptions options)
    {
        // DTFx names the queue "<hub>-workitems" in lower case.
        string name = options.TaskHubName.ToLowerInvariant() + "-workitems";
        var clientOptions = new QueueClientOptions();
        clientOptions.Retry.MaxRetries = 0;
        clientOptions.Retry.NetworkTimeout = Timeout;
        if (options.StorageAccountUri is { } blobUri)
        {
            var queueUri = new UriBuilder(blobUri) { Host = blobUri.Host.Replace(".blob.", ".queue.", StringComparison.OrdinalIgnoreCase), Path = name }.Uri;
            TokenCredential credential = new DefaultAzureCredential();
            return new QueueClient(queueUri, credential, clientOptions);
        }

        return new QueueClient(options.StorageConnectionString, name, clientOptions);
    }
}
