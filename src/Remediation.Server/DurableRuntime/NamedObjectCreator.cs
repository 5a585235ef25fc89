using DurableTask.Core;

namespace Remediation.Server.DurableRuntime;

/// <summary>Hands DTFx a fresh task object for every execution, registered under a name and the empty version that Microsoft.DurableTask clients use.</summary>
internal sealed class NamedObjectCreator<T> : ObjectCreator<T>
{
    private readonly Func<T> _create;

    public NamedObjectCreator(string name, Func<T> create)
    {
        Name = name;
        Version = string.Empty;
        _create = create;
    }

    public override T Create() => _create();
}
