using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;
using Remediation.Inventory;
using Remediation.ServiceManagers;
using Remediation.Ssh;

namespace Remediation.Activities.Services;

/// <summary>Reads services' status over an open session; every state-changing activity starts here.</summary>
public sealed partial class ServiceStatusReader
{
    private static readonly TimeSpan StatusTimeout = TimeSpan.FromSeconds(15);
    private readonly IServiceManagerProvider _managers;
    private readonly ILogger<ServiceStatusReader> _logger;

    // Targets whose sudoers drop-in predates the one-call status read; they are read unit by unit from then on.
    private readonly ConcurrentDictionary<string, bool> _batchRefused = new(StringComparer.Ordinal);

    public ServiceStatusReader(IServiceManagerProvider managers, ILogger<ServiceStatusReader> logger)
    {
        _managers = managers;
        _logger = logger;
    }

    public IServiceManager ManagerOf(TargetDefinition target) => _managers.For(target.ServiceManager);

    public async Task<ServiceStatus> ReadAsync(ISshSession ssh, TargetDefinition target, ServiceDefinition service, CancellationToken cancellationToken)
    {
        IServiceManager manager = ManagerOf(target);
        CommandResult result = await ssh.RunAsync(manager.Status(service.UnitName), StatusTimeout, cancellationToken);
        return manager.ParseStatus(service.UnitName, result);
    }

    /// <summary>
    /// Every service of the target, in start order, from one command (one supervisorctl start-up instead of one per
    /// program). A target whose sudoers drop-in does not allow that command yet is read unit by unit, as before.
    /// </summary>
    public async Task<IReadOnlyList<ServiceStatusReport>> ReadAllAsync(ISshSession ssh, TargetDefinition target, CancellationToken cancellationToken)
    {
        IReadOnlyList<ServiceDefinition> services = [.. DependencyGraph.StartOrder(target)];
        if (services.Count == 0)
        {
            return [];
        }

        if (!_batchRefused.ContainsKey(target.Name))
        {
            IServiceManager manager = ManagerOf(target);
            string[] units = [.. services.Select(s => s.UnitName)];
            CommandResult result = await ssh.RunAsync(manager.StatusAll(units), StatusTimeout, cancellationToken);
            if (!SudoRefusal.IsRefused(result))
            {
                IReadOnlyList<ServiceStatus> statuses = manager.ParseStatuses(units, result);
                return [.. services.Select((service, i) => new ServiceStatusReport(service.Name, statuses[i]))];
            }

            _batchRefused[target.Name] = true;
            LogBatchRefused(target.Name, result.Command, SudoRefusal.DropIn);
        }

        IEnumerable<Task<ServiceStatusReport>> reads = services.Select(async service =>
            new ServiceStatusReport(service.Name, await ReadAsync(ssh, target, service, cancellationToken)));
        return await Task.WhenAll(reads);
    }

    [LoggerMessage(Level = LogLevel.Warning, Message = "Target {Target}: `{Command}` is not allowed by its sudoers drop-in; reading statuses one unit at a time (slower). Install the current {DropIn}")]
    private partial void LogBatchRefused(string target, string command, string dropIn);
}
