using Remediation.Inventory;
using Remediation.Ssh;

namespace Remediation.Tests.Procedures;

/// <summary>Several <see cref="SimulatedTarget"/>s behind one <see cref="ISshConnector"/>, each reached by its own target name, with one inventory listing them all.</summary>
internal sealed class SimulatedFleet : ISshConnector, IAsyncDisposable
{
    private readonly Dictionary<string, SimulatedTarget> _targets;

    public SimulatedFleet(IEnumerable<SimulatedTarget> targets)
    {
        _targets = targets.ToDictionary(t => t.TargetName, StringComparer.Ordinal);
        Inventory = new Remediation.Inventory.Inventory(_targets.Values.Select(t => t.Target));
    }

    /// <summary>Hosts named <paramref name="names"/>, each a healthy simulated stack.</summary>
    public static SimulatedFleet Named(params string[] names) => new(names.Select(n => new SimulatedTarget(name: n)));

    /// <summary>Hosts named <paramref name="names"/> whose services' graceful and readiness timeouts are <paramref name="stepTimeoutSeconds"/> each.</summary>
    public static SimulatedFleet Named(int stepTimeoutSeconds, params string[] names) =>
        new(names.Select(n => new SimulatedTarget(name: n, stepTimeoutSeconds: stepTimeoutSeconds)));

    public Remediation.Inventory.Inventory Inventory { get; }

    public SimulatedTarget this[string name] => _targets[name];

    public IEnumerable<SimulatedTarget> Targets => _targets.Values;

    public Task<ISshSession> ConnectAsync(TargetDefinition target, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        return _targets.TryGetValue(target.Name, out SimulatedTarget? host)
            ? host.ConnectAsync(target, cancellationToken)
            : throw new SshUnreachableException($"{target.Describe()}: no such simulated host");
    }

    public async ValueTask DisposeAsync()
    {
        foreach (SimulatedTarget target in _targets.Values)
        {
            await target.DisposeAsync();
        }
    }
}
