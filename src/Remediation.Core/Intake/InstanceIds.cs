namespace Remediation.Intake;

/// <summary>Screens instance ids taken from a URL before they reach the task hub, whose Azure Table keys refuse some characters.</summary>
public static class InstanceIds
{
    // Azure Table keys refuse / \ # ? and control characters; Durable Task caps instance ids at 256 characters.
    private const int MaxLength = 256;

    /// <summary>True when the id could name an orchestration instance; anything else cannot exist and is answered with 404.</summary>
    public static bool CanExist(string id) =>
        !string.IsNullOrEmpty(id)
        && id.Length <= MaxLength
        && !id.Any(c => c is '/' or '\\' or '#' or '?' || char.IsControl(c));
}
