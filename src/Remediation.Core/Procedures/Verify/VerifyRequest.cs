namespace Remediation.Procedures.Verify;

/// <summary>The input of a verify run (runbook "Post-Restart Verification" on its own), as accepted by the intake; it changes nothing, so <c>force</c> has no effect and a dry run is the same run.</summary>
public sealed record VerifyRequest : ProcedureRequest;
