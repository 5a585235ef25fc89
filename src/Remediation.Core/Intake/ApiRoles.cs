namespace Remediation.Intake;

/// <summary>What a credential may do: read runs, operate them (start, cancel, terminate, raise events), approve or reject them.</summary>
[Flags]
public enum ApiRoles
{
    None = 0,
    Read = 1,
    Operate = 2,
    Approve = 4,
    All = Read | Operate | Approve,
}
