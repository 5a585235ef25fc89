namespace Remediation.Server.Api;

/// <summary>The 202 body for a started (or joined) remediation, with its management URLs in the Durable Functions style.</summary>
public sealed record RemediationAccepted(
    string Id,
    bool JoinedExisting,
    string StatusQueryGetUri,
    string TerminatePostUri,
    string RaiseEventPostUri,
    string CancelPostUri,
    string ApprovePostUri,
    string RejectPostUri);
