using Microsoft.Extensions.Options;
using Remediation.Runs.Approvals;

namespace Remediation.Intake.Approvals;

/// <summary>Decides, at intake, the approval terms of a run from its trigger and procedure; the run itself adds "forced past blockers" once its pre-checks know.</summary>
public sealed class ApprovalPolicy
{
    private readonly IReadOnlyList<(string Trigger, string Procedure)> _rules;
    private readonly ApprovalPolicyOptions _options;

    public ApprovalPolicy(IOptions<ApprovalPolicyOptions> options)
    {
        ArgumentNullException.ThrowIfNull(options);
        _options = options.Value;
        _rules = Parse(_options.Required ?? [.. ApprovalPolicyOptions.DefaultRequired]);
    }

    /// <summary>The policy with its defaults, for hosts and tests without configuration.</summary>
    public static ApprovalPolicy Default { get; } = new(Options.Create(new ApprovalPolicyOptions()));

    /// <summary>The terms for a run of <paramref name="procedure"/> reached through <paramref name="trigger"/>; null when it can never need approval.</summary>
    public ApprovalTerms? TermsFor(string trigger, string procedure)
    {
        ArgumentNullException.ThrowIfNull(trigger);
        ArgumentNullException.ThrowIfNull(procedure);
        bool required = _rules.Any(r => Matches(r.Trigger, trigger) && Matches(r.Procedure, procedure));
        if (!required && !_options.WhenForcedPastBlockers)
        {
            return null;
        }

        return new ApprovalTerms
        {
            Required = required,
            WhenForcedPastBlockers = _options.WhenForcedPastBlockers,
            TimeoutSeconds = _options.TimeoutSeconds,
            Why = required ? $"{trigger}-triggered {procedure} needs approval by policy" : "",
        };
    }

    /// <summary>Checks the rules; throws with the offending rule.</summary>
    public static IReadOnlyList<(string Trigger, string Procedure)> Parse(IEnumerable<string> rules)
    {
        ArgumentNullException.ThrowIfNull(rules);
        var parsed = new List<(string, string)>();
        foreach (string rule in rules)
        {
            if (string.Equals(rule.Trim(), "none", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            string[] parts = rule.Split(':', StringSplitOptions.TrimEntries);
            if (parts.Length != 2 || parts[0].Length == 0 || parts[1].Length == 0
                || (parts[1] != "*" && ProcedureCatalog.Find(parts[1]) is null))
            {
                throw new InvalidOperationException(
                    $"{ApprovalPolicyOptions.Section}:Required rule '{rule}' is not 'trigger:procedure' (e.g. 'alert:restart-postgresql', '*' for any, 'none' for no rule) with a known procedure.");
            }

            parsed.Add((parts[0], parts[1]));
        }

        return parsed;
    }

    private static bool Matches(string pattern, string value) => pattern == "*" || string.Equals(pattern, value, StringComparison.Ordinal);
}
