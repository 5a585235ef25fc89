using System.Text.Json;
using System.Text.Json.Serialization;

namespace Remediation.Artifacts;

/// <summary>The JSON shape of records and API answers: camelCase, enums as words, indented for people.</summary>
public static class RecordJson
{
    public static JsonSerializerOptions Options { get; } = new(JsonSerializerDefaults.Web)
    {
        WriteIndented = true,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };
}
