namespace Remediation.Server.Api;

/// <summary>Aborts, without a response, any request that arrives before <see cref="ExposureGate"/> is open.</summary>
public sealed class ExposureGateMiddleware(RequestDelegate next, ExposureGate gate)
{
    public Task InvokeAsync(HttpContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        if (!gate.IsOpen)
        {
            context.Abort();
            return Task.CompletedTask;
        }

        return next(context);
    }
}
