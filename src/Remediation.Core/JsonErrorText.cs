using System.Text.Json;

namespace Remediation;

/// <summary>The reason of a System.Text.Json error without its " Path: … | LineNumber: …" tail, which callers report in their own words.</summary>
public static class JsonErrorText
{
    public static string Reason(JsonException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        int cut = error.Message.IndexOf(" Path:", StringComparison.Ordinal);
        return cut > 0 ? error.Message[..cut] : error.Message;
    }
}
