namespace Remediation.Activities.Nginx;

/// <summary>What <c>nginx -t</c> said: passed or not, and its own words (it writes to stderr).</summary>
public sealed record ConfigTestResult(bool Passed, string Command, string Output);
