using Remediation.Intake;

namespace Remediation.Server.Api;

/// <summary>Where the credential filter leaves the authenticated caller for the endpoint to read.</summary>
public static class ApiCallers
{
    private const string Key = "Remediation.Caller";

    public static void Set(HttpContext context, RequestCaller caller)
    {
        ArgumentNullException.ThrowIfNull(context);
        context.Items[Key] = caller;
    }

    /// <summary>The caller; <see cref="RequestCaller.Unnamed"/> when no credential is configured (loopback only).</summary>
    public static RequestCaller Of(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return context.Items.TryGetValue(Key, out object? caller) && caller is RequestCaller known ? known : RequestCaller.Unnamed;
    }
}
