using System.Globalization;
using System.Text.Json;

namespace Remediation.Intake.Alerts;

/// <summary>Strict readers for webhook JSON: a missing or mistyped field throws <see cref="AlertPayloadException"/> naming its path.</summary>
internal static class AlertJson
{
    /// <summary>Alert payloads are shallow; deep nesting is an attack or a mistake, not an alert.</summary>
    private static readonly JsonDocumentOptions Options = new() { MaxDepth = 32, CommentHandling = JsonCommentHandling.Disallow, AllowTrailingCommas = false };

    /// <summary>Label maps are small; a payload with thousands of labels per alert is refused rather than routed.</summary>
    public const int MaxEntries = 200;

    public const int MaxValueLength = 4096;

    public static JsonDocument Parse(string body, string source)
    {
        if (string.IsNullOrWhiteSpace(body))
        {
            throw new AlertPayloadException($"The body is empty; a {source} webhook payload is a JSON object.");
        }

        try
        {
            return JsonDocument.Parse(body, Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $" (line {line + 1}, position {e.BytePositionInLine + 1})" : "";
            throw new AlertPayloadException($"The body is not valid JSON{where}: {JsonErrorText.Reason(e)}");
        }
    }

    public static JsonElement Object(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Object)
        {
            throw new AlertPayloadException($"'{path}' must be a JSON object.");
        }

        return value;
    }

    public static JsonElement? OptionalObject(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        return value.ValueKind == JsonValueKind.Object ? value : throw new AlertPayloadException($"'{path}' must be a JSON object or null.");
    }

    public static JsonElement Array(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind != JsonValueKind.Array)
        {
            throw new AlertPayloadException($"'{path}' must be a JSON array.");
        }

        return value;
    }

    public static string String(JsonElement parent, string name, string path) =>
        OptionalString(parent, name, path) ?? throw new AlertPayloadException($"'{path}' is required (a string).");

    public static string? OptionalString(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            throw new AlertPayloadException($"'{path}' must be a string, not {value.ValueKind.ToString().ToLowerInvariant()}.");
        }

        string text = value.GetString()!;
        return text.Length <= MaxValueLength ? text : throw new AlertPayloadException($"'{path}' is longer than {MaxValueLength} characters.");
    }

    /// <summary>An object of string values (labels, annotations); null or absent is empty.</summary>
    public static IReadOnlyDictionary<string, string> StringMap(JsonElement parent, string name, string path)
    {
        if (OptionalObject(parent, name, path) is not { } map)
        {
            return new Dictionary<string, string>();
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in map.EnumerateObject())
        {
            if (property.Value.ValueKind != JsonValueKind.String)
            {
                throw new AlertPayloadException($"'{path}.{Printable(property.Name)}' must be a string, not {property.Value.ValueKind.ToString().ToLowerInvariant()}.");
            }

            Add(values, property.Name, property.Value.GetString()!, path);
        }

        return values;
    }

    /// <summary>An object of any scalar values, as text (Azure custom properties are free-form).</summary>
    public static IReadOnlyDictionary<string, string> ScalarMap(JsonElement parent, string name, string path)
    {
        if (OptionalObject(parent, name, path) is not { } map)
        {
            return new Dictionary<string, string>();
        }

        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (JsonProperty property in map.EnumerateObject())
        {
            string? text = property.Value.ValueKind switch
            {
                JsonValueKind.String => property.Value.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => property.Value.GetRawText(),
                JsonValueKind.Null => null,
                _ => throw new AlertPayloadException($"'{path}.{Printable(property.Name)}' must be a string, number or boolean."),
            };
            if (text is not null)
            {
                Add(values, property.Name, text, path);
            }
        }

        return values;
    }

    public static IReadOnlyList<string> Strings(JsonElement parent, string name, string path)
    {
        if (!parent.TryGetProperty(name, out JsonElement value) || value.ValueKind == JsonValueKind.Null)
        {
            return [];
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            throw new AlertPayloadException($"'{path}' must be an array of strings.");
        }

        var items = new List<string>();
        int i = 0;
        foreach (JsonElement item in value.EnumerateArray())
        {
            items.Add(item.ValueKind == JsonValueKind.String ? item.GetString()! : throw new AlertPayloadException($"'{path}[{i}]' must be a string."));
            if (++i > MaxEntries)
            {
                throw new AlertPayloadException($"'{path}' has more than {MaxEntries} entries.");
            }
        }

        return items;
    }

    public static string Printable(string value) =>
        new([.. value.Take(80).Select(c => char.IsControl(c) ? '?' : c)]);

    public static string Index(string path, int i) => string.Create(CultureInfo.InvariantCulture, $"{path}[{i}]");

    private static void Add(Dictionary<string, string> values, string key, string value, string path)
    {
        if (values.Count >= MaxEntries)
        {
            throw new AlertPayloadException($"'{path}' has more than {MaxEntries} entries.");
        }

        if (value.Length > MaxValueLength || key.Length > 256)
        {
            throw new AlertPayloadException($"'{path}.{Printable(key)}' is too long.");
        }

        values[key] = value;
    }
}
