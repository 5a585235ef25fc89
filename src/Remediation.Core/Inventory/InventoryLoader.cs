using System.Text.Json;
using System.Text.Json.Serialization;

namespace Remediation.Inventory;

/// <summary>Reads and validates the inventory file; any problem stops start-up with the file, field and reason.</summary>
public static class InventoryLoader
{
    private static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = JsonNamingPolicy.CamelCase,
        PropertyNameCaseInsensitive = false,
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase, allowIntegerValues: false) },
    };

    public static Inventory Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new InventoryException($"inventory {path}: file not found (set Remediation:InventoryFile)");
        }

        return Parse(File.ReadAllText(path), path);
    }

    /// <summary>Parses inventory JSON; <paramref name="source"/> names where it came from in messages.</summary>
    public static Inventory Parse(string json, string source)
    {
        InventoryDocument? document;
        try
        {
            document = JsonSerializer.Deserialize<InventoryDocument>(json, Options);
        }
        catch (JsonException e)
        {
            string where = e.LineNumber is { } line ? $"line {line + 1}, {e.Path}" : e.Path ?? "";
            throw new InventoryException($"inventory {source}: {where}: {JsonErrorText.Reason(e)}", e);
        }

        if (document is null)
        {
            throw new InventoryException($"inventory {source}: the file is empty (expected {{ \"targets\": [...] }})");
        }

        IReadOnlyList<string> problems = InventoryValidator.Validate(document);
        if (problems.Count > 0)
        {
            throw new InventoryException($"inventory {source} is invalid:{Environment.NewLine}  " + string.Join(Environment.NewLine + "  ", problems))
            {
                Problems = problems,
            };
        }

        return new Inventory(document.Targets);
    }
}
