using System.Text.Json;
using Microsoft.DurableTask;
using Microsoft.DurableTask.Converters;

namespace Remediation.Server.DurableRuntime;

/// <summary>How orchestration inputs, outputs and event payloads are (de)serialized: like the Azure Functions isolated worker's default, so a payload binds the same way in both hosts.</summary>
/// <remarks>
/// Functions reads JSON case-insensitively (<c>{"by":"ops"}</c> fills <c>By</c>) and writes property names as declared;
/// Microsoft.DurableTask's default converter is case-sensitive, which would silently drop camelCase fields
/// posted to the API as event payloads.
/// </remarks>
public static class DurableJson
{
    public static DataConverter Converter { get; } = new JsonDataConverter(new JsonSerializerOptions { PropertyNameCaseInsensitive = true });
}
