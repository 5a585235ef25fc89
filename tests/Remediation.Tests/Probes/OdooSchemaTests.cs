using Remediation.Activities.Database;
using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

/// <summary>Schema detection from catalog columns, the fail-closed list, and the blockers a report gives.</summary>
[Trait("Category", "Unit")]
public sealed class OdooSchemaTests
{
    private static readonly (string, string, string)[] Odoo18 =
    [
        ("res_users_log", "create_uid", "integer"), ("res_users_log", "create_date", "timestamp without time zone"),
        ("res_users", "id", "integer"), ("res_users", "login", "character varying"),
        ("bus_presence", "user_id", "integer"), ("bus_presence", "last_poll", "timestamp without time zone"),
        ("ir_cron", "id", "integer"), ("ir_cron", "active", "boolean"), ("ir_cron", "nextcall", "timestamp without time zone"),
        ("ir_cron", "cron_name", "character varying"), ("ir_cron", "ir_actions_server_id", "integer"),
        ("ir_cron_trigger", "cron_id", "integer"), ("ir_cron_trigger", "call_at", "timestamp without time zone"),
        ("ir_act_server", "id", "integer"), ("ir_act_server", "name", "jsonb"),
    ];

    [Fact]
    public void Describe_Odoo18Columns_SaysOdoo18Like()
    {
        OdooSchema schema = OdooSchema.FromColumns(Odoo18);

        Assert.Equal(
            "ir_cron: cron_name varchar, no numbercall (Odoo 18-like); ir_cron_trigger present; bus_presence present; res_users_log: create_uid present",
            schema.Describe());
        Assert.Empty(schema.Missing(needsLogins: true));
    }

    [Fact]
    public void Describe_JsonbCronNameWithNumberCall_SaysOdoo16Like()
    {
        OdooSchema schema = OdooSchema.FromColumns(
            [.. Odoo18.Where(c => c.Item2 != "cron_name"), ("ir_cron", "cron_name", "jsonb"), ("ir_cron", "numbercall", "integer")]);

        Assert.StartsWith("ir_cron: cron_name jsonb, numbercall (Odoo 16-like)", schema.Describe(), StringComparison.Ordinal);
    }

    [Fact]
    public void Missing_RunbookShapedTables_NamesEachMissingColumn()
    {
        OdooSchema schema = OdooSchema.FromColumns(
        [
            ("res_users_log", "id", "integer"), ("res_users_log", "res_id", "integer"), ("res_users_log", "create_date", "timestamp without time zone"),
            ("ir_cron", "id", "integer"), ("ir_cron", "name", "text"), ("ir_cron", "active", "boolean"),
        ]);

        Assert.Equal(
            ["res_users_log.create_uid", "ir_cron.nextcall", "ir_cron.cron_name (or ir_cron.ir_actions_server_id with ir_act_server.name)", "res_users.id", "res_users.login"],
            schema.Missing(needsLogins: true));
        Assert.DoesNotContain("res_users.login", schema.Missing(needsLogins: false));
    }

    [Fact]
    public void Blockers_RunningCronAlsoDue_NamedOnceAsRunning()
    {
        var report = new WorkloadReport(true, "")
        {
            Users = new ActiveUsers(2, 1, 3),
            DueCrons = [new DueCron(3, "Mail: Email Queue Manager", DateTime.UnixEpoch, false), new DueCron(9, "Calendar: Event Reminder", DateTime.UnixEpoch, true)],
            RunningCrons = [new RunningCron(3, "Mail: Email Queue Manager", 4242, "idle in transaction", null)],
        };

        Assert.Equal(
            [
                "3 active user(s) in the last 5 minutes (2 connected, 1 logged in)",
                "1 cron job(s) running now: Mail: Email Queue Manager (id 3)",
                "1 cron job(s) due: Calendar: Event Reminder (id 9)",
            ],
            report.Blockers());
    }

    [Fact]
    public void Blockers_NobodyAndNothing_Empty()
    {
        Assert.Empty(new WorkloadReport(true, "").Blockers());
    }
}
