using System.Text.Json.Serialization;

namespace Remediation.Runs;

/// <summary>What a run did to one service, as the restart log reports it.</summary>
[JsonConverter(typeof(JsonStringEnumConverter<ServiceAction>))]
public enum ServiceAction
{
    /// <summary>Nothing was changed (checked only, deferred, dry run, or already in the wanted state).</summary>
    None,

    /// <summary>Stopped and started again: a restart command, or a stop followed by a start.</summary>
    Restart,

    /// <summary>Told to reload its configuration without stopping (nginx).</summary>
    Reload,

    /// <summary>Stopped and left stopped.</summary>
    Stop,

    /// <summary>Started from a stopped state.</summary>
    Start,
}
