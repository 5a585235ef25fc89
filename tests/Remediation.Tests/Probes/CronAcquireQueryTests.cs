using Remediation.Probes;
using Xunit;

namespace Remediation.Tests.Probes;

/// <summary>The cron worker's acquire query as each Odoo version's psycopg2 sends it, and what is not one.</summary>
[Trait("Category", "Unit")]
public sealed class CronAcquireQueryTests
{
    // 16.0: the 1-tuple (7,) rendered by psycopg2 as "(7)"; 17.0 the same without the cron_name cast.
    private const string Odoo16 = """

                    SELECT *, cron_name->>'en_US' as cron_name
                    FROM ir_cron
                    WHERE active = true
                      AND numbercall != 0
                      AND (nextcall <= (now() at time zone 'UTC')
                        OR EXISTS (
                            SELECT cron_id
                            FROM ir_cron_trigger
                            WHERE call_at <= (now() at time zone 'UTC')
                              AND cron_id = ir_cron.id
                        )
                      )
                      AND id in (7)
                    ORDER BY priority
                    LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED

        """;

    // 18.0: the id twice as a plain literal, once as cron_id in the progress CTE.
    private const string Odoo18 = """

                    WITH last_cron_progress AS (
                        SELECT id as progress_id, cron_id, timed_out_counter, done, remaining
                        FROM ir_cron_progress
                        WHERE cron_id = 12
                        ORDER BY id DESC
                        LIMIT 1
                    )
                    SELECT *
                    FROM ir_cron
                    LEFT JOIN last_cron_progress lcp ON lcp.cron_id = ir_cron.id
                    WHERE ir_cron.active = true
                      AND (nextcall <= (now() at time zone 'UTC')
                        OR EXISTS (
                            SELECT cron_id
                            FROM ir_cron_trigger
                            WHERE call_at <= (now() at time zone 'UTC')
                              AND cron_id = ir_cron.id
                        )
                      )
                      AND id = 12
                    ORDER BY priority
                    FOR NO KEY UPDATE SKIP LOCKED

        """;

    [Fact]
    public void ParseJobIds_Odoo16And17Query_ReadsTheTupleLiteral()
    {
        Assert.Equal([7], CronAcquireQuery.ParseJobIds(Odoo16));
        Assert.Equal([7], CronAcquireQuery.ParseJobIds(Odoo16.Replace("*, cron_name->>'en_US' as cron_name", "*", StringComparison.Ordinal)));
    }

    [Fact]
    public void ParseJobIds_Odoo18Query_ReadsTheIdNotTheProgressCronId()
    {
        Assert.Equal([12], CronAcquireQuery.ParseJobIds(Odoo18.Replace("WHERE cron_id = 12", "WHERE cron_id = 99", StringComparison.Ordinal)));
    }

    [Fact]
    public void ParseJobIds_LaterStyleWhereIdFirstAndLockOfIrCron_ReadsTheId()
    {
        const string query = "SELECT * FROM ir_cron LEFT JOIN last_cron_progress lcp ON lcp.cron_id = ir_cron.id WHERE id = 31 AND active IS TRUE FOR NO KEY UPDATE OF ir_cron SKIP LOCKED";

        Assert.Equal([31], CronAcquireQuery.ParseJobIds(query));
    }

    [Fact]
    public void ParseJobIds_SeveralIdsInTheTuple_ReturnsAll()
    {
        Assert.Equal([7, 8], CronAcquireQuery.ParseJobIds(Odoo16.Replace("id in (7)", "id in (7, 8)", StringComparison.Ordinal)));
    }

    [Theory]
    [InlineData("SELECT * FROM ir_cron WHERE id = 7")]
    [InlineData("SELECT id FROM stock_quant WHERE id IN (7) LIMIT 1 FOR NO KEY UPDATE SKIP LOCKED")]
    [InlineData("SELECT * FROM ir_cron_trigger WHERE id = 7 FOR NO KEY UPDATE SKIP LOCKED")]
    [InlineData("SELECT * FROM ir_cron WHERE id = 7 FOR UPDATE SKIP LOCKED")]
    [InlineData("")]
    [InlineData(null)]
    public void ParseJobIds_NotTheCronWorkersAcquireQuery_Empty(string? query)
    {
        Assert.Empty(CronAcquireQuery.ParseJobIds(query));
        Assert.False(CronAcquireQuery.IsAcquireQuery(query));
    }

    [Fact]
    public void ParseJobIds_AcquireQueryWithoutALiteralId_Empty()
    {
        Assert.True(CronAcquireQuery.IsAcquireQuery(Odoo16.Replace("id in (7)", "id in %s", StringComparison.Ordinal)));
        Assert.Empty(CronAcquireQuery.ParseJobIds(Odoo16.Replace("id in (7)", "id in %s", StringComparison.Ordinal)));
    }
}
