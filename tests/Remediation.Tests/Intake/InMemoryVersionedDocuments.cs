using System.Collections.Concurrent;

namespace Remediation.Tests.Intake;

/// <summary>Documents by name with <see cref="Remediation.Storage.VersionedJsonBlobs{T}"/>'s semantics: create only if absent, replace only at the version read.</summary>
internal sealed class InMemoryVersionedDocuments<T>
    where T : class
{
    private readonly ConcurrentDictionary<string, (T Document, string ETag)> _documents = new(StringComparer.Ordinal);
    private readonly Lock _gate = new();

    public Task<(T? Document, string? ETag)> ReadAsync(string name) =>
        Task.FromResult(_documents.TryGetValue(name, out var entry) ? ((T?)entry.Document, (string?)entry.ETag) : (null, null));

    public Task<bool> TryWriteAsync(string name, T document, string? etag)
    {
        lock (_gate)
        {
            bool exists = _documents.TryGetValue(name, out var current);
            if ((etag is null && exists) || (etag is not null && (!exists || current.ETag != etag)))
            {
                return Task.FromResult(false);
            }

            _documents[name] = (document, Guid.NewGuid().ToString("N"));
            return Task.FromResult(true);
        }
    }

    public T? Get(string name) => _documents.TryGetValue(name, out var entry) ? entry.Document : null;
}
