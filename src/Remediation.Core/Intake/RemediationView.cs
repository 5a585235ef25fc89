using System.Text.Json.Nodes;

namespace Remediation.Intake;

/// <summary>A run as the API shows it: identity, runtime state, per-step progress, result and links to its artifacts.</summary>
public sealed record RemediationView
{
    public required string Id { get; init; }
    public required string Procedure { get; init; }
    public required string RuntimeStatus { get; init; }
    public DateTimeOffset CreatedAt { get; init; }
    public DateTimeOffset LastUpdatedAt { get; init; }

    /// <summary>The request as it was accepted.</summary>
    public JsonNode? Input { get; init; }

    /// <summary>Step-by-step progress published by the orchestration (custom status).</summary>
    public JsonNode? Progress { get; init; }

    /// <summary>The run's result once it has finished.</summary>
    public JsonNode? Result { get; init; }

    /// <summary>Why the run failed, when the runtime reports a failure.</summary>
    public string? Failure { get; init; }
}
