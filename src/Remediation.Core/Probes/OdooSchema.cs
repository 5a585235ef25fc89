namespace Remediation.Probes;

/// <summary>
/// The shape of the Odoo tables the pre-checks read, from the catalog (read once per check), so the queries follow
/// the columns they find and not a version string: <c>cron_name</c> is jsonb in 16.0 and varchar from 17.0,
/// <c>numbercall</c> is gone in 18.0, <c>bus_presence</c> exists only with the bus module.
/// </summary>
/// <param name="Columns">Data type (format_type) by "table.column".</param>
public sealed record OdooSchema(IReadOnlyDictionary<string, string> Columns)
{
    /// <summary>The tables whose columns are read from the catalog.</summary>
    public static IReadOnlyList<string> Tables { get; } =
        ["res_users_log", "res_users", "bus_presence", "ir_cron", "ir_cron_trigger", "ir_act_server"];

    /// <summary>Builds the schema from catalog rows (table, column, type).</summary>
    public static OdooSchema FromColumns(IEnumerable<(string Table, string Column, string Type)> columns)
    {
        ArgumentNullException.ThrowIfNull(columns);
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach ((string table, string column, string type) in columns)
        {
            map[$"{table}.{column}"] = type;
        }

        return new OdooSchema(map);
    }

    public bool Has(string tableDotColumn) => Columns.ContainsKey(tableDotColumn);

    public string? TypeOf(string tableDotColumn) => Columns.TryGetValue(tableDotColumn, out string? type) ? type : null;

    /// <summary>Presence is counted when bus_presence has user_id and last_poll.</summary>
    public bool HasPresence => Has("bus_presence.user_id") && Has("bus_presence.last_poll");

    /// <summary>16.0 and 17.0 count remaining calls (numbercall); 18.0 dropped the column.</summary>
    public bool HasNumberCall => Has("ir_cron.numbercall");

    /// <summary>Odoo also runs a job early when an ir_cron_trigger row is due.</summary>
    public bool HasTriggers => Has("ir_cron_trigger.cron_id") && Has("ir_cron_trigger.call_at");

    /// <summary>ir_cron.cron_name, when stored.</summary>
    public string? CronNameType => TypeOf("ir_cron.cron_name");

    /// <summary>The delegated server action's name (ir_act_server.name), when reachable.</summary>
    public bool HasServerActionName => Has("ir_cron.ir_actions_server_id") && Has("ir_act_server.id") && Has("ir_act_server.name");

    /// <summary>Columns without which the check cannot say anything true; empty when the schema is usable.</summary>
    public IReadOnlyList<string> Missing(bool needsLogins)
    {
        var missing = new List<string>();
        foreach (string column in (string[])["res_users_log.create_uid", "res_users_log.create_date", "ir_cron.id", "ir_cron.active", "ir_cron.nextcall"])
        {
            if (!Has(column))
            {
                missing.Add(column);
            }
        }

        if (CronNameType is null && !HasServerActionName)
        {
            missing.Add("ir_cron.cron_name (or ir_cron.ir_actions_server_id with ir_act_server.name)");
        }

        if (needsLogins)
        {
            foreach (string column in (string[])["res_users.id", "res_users.login"])
            {
                if (!Has(column))
                {
                    missing.Add(column);
                }
            }
        }

        return missing;
    }

    /// <summary>What was found, for the record: "ir_cron: cron_name varchar, no numbercall (Odoo 18-like); …".</summary>
    public string Describe()
    {
        string name = CronNameType is { } type ? $"cron_name {Short(type)}" : "no cron_name (names from ir_act_server)";
        string calls = HasNumberCall ? "numbercall" : "no numbercall";
        string like = (CronNameType, HasNumberCall) switch
        {
            ("jsonb", true) => " (Odoo 16-like)",
            ("character varying", true) => " (Odoo 17-like)",
            ("character varying", false) => " (Odoo 18-like)",
            _ => "",
        };
        return $"ir_cron: {name}, {calls}{like}; ir_cron_trigger {(HasTriggers ? "present" : "absent")}; " +
            $"bus_presence {(HasPresence ? "present" : "absent")}; res_users_log: create_uid {(Has("res_users_log.create_uid") ? "present" : "absent")}";
    }

    private static string Short(string type) => type == "character varying" ? "varchar" : type;
}
