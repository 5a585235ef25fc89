namespace Remediation.Inventory;

/// <summary>One service on a target, as the runbook knows it: its unit, what it needs, how to see it is healthy.</summary>
public sealed record ServiceDefinition
{
    /// <summary>Name used in requests and records (e.g. "odoo").</summary>
    public string Name { get; init; } = "";

    public ServiceKind Kind { get; init; } = ServiceKind.Generic;

    /// <summary>systemd unit or supervisor program name; defaults to <see cref="Name"/>.</summary>
    public string? Unit { get; init; }

    /// <summary>Services that must be up before this one starts (and that stop after it).</summary>
    public IReadOnlyList<string> DependsOn { get; init; } = [];

    public ReadinessProbeDefinition? Readiness { get; init; }

    /// <summary>Log files scanned for ERROR/CRITICAL lines written after the restart began.</summary>
    public IReadOnlyList<string> LogFiles { get; init; } = [];

    /// <summary>Config files snapshotted before a change.</summary>
    public IReadOnlyList<string> ConfigFiles { get; init; } = [];

    /// <summary>Whether the service has a config test (<c>nginx -t</c>) to pass before it is touched.</summary>
    public bool ConfigTest { get; init; }

    public bool CanReload { get; init; }

    /// <summary>Pattern matched against full command lines (<c>pgrep -f</c>) to find leftover processes, e.g. "odoo-bin".</summary>
    public string? ProcessPattern { get; init; }

    /// <summary>
    /// The user the service's processes run as. Process searches and kills are limited to it, so that
    /// <c>pkill -f odoo-bin</c> can never match our own <c>sudo</c> or shell, whose command lines contain the pattern.
    /// </summary>
    public string? ProcessUser { get; init; }

    /// <summary>How long a graceful restart may take before the force path is taken.</summary>
    public int GracefulTimeoutSeconds { get; init; } = 30;

    /// <summary>How long to wait for readiness after a (re)start.</summary>
    public int ReadinessTimeoutSeconds { get; init; } = 60;

    /// <summary>For a service of kind odoo: the account used to check that users can log in (optional).</summary>
    public LoginCheckDefinition? LoginCheck { get; init; }

    public string UnitName => string.IsNullOrEmpty(Unit) ? Name : Unit;
}
