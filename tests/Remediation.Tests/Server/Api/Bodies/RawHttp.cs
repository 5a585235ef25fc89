using System.Net.Sockets;
using System.Text;

namespace Remediation.Tests.Server.Api.Bodies;

/// <summary>
/// An HTTP/1.1 client on a bare socket, as curl behaves: it writes the body while it reads, so a server that answers
/// before the body is done (413) is heard, and it can send a chunked body with no Content-Length.
/// </summary>
internal static class RawHttp
{
    /// <summary>The response's status code and its text (headers and body), after sending <paramref name="head"/> then <paramref name="body"/>.</summary>
    public static async Task<(int Status, string Response)> SendAsync(Uri server, string head, Func<Stream, Task> body)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(server.Host, server.Port);
        NetworkStream stream = client.GetStream();
        // "Connection: close" makes the end of the response the end of the stream.
        await stream.WriteAsync(Encoding.ASCII.GetBytes((head + "Connection: close\n").ReplaceLineEndings("\r\n") + "\r\n"));
        Task sending = SendBodyAsync(stream, body);

        var response = new StringBuilder();
        byte[] buffer = new byte[8192];
        try
        {
            int read;
            while ((read = await stream.ReadAsync(buffer).AsTask().WaitAsync(TimeSpan.FromSeconds(30))) > 0)
            {
                response.Append(Encoding.UTF8.GetString(buffer, 0, read));
            }
        }
        catch (IOException) when (response.Length > 0)
        {
            // The server closed the connection after answering (it will not read the rest of an oversize body).
        }

        client.Close();
        await sending;
        string text = response.ToString();
        return (int.Parse(text.Split(' ', 3)[1], System.Globalization.CultureInfo.InvariantCulture), text);
    }

    /// <summary>A chunked body of <paramref name="total"/> bytes of <paramref name="fill"/>.</summary>
    public static Func<Stream, Task> Chunked(long total, byte fill) => async stream =>
    {
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, fill);
        for (long sent = 0; sent < total; sent += chunk.Length)
        {
            int size = (int)Math.Min(chunk.Length, total - sent);
            await stream.WriteAsync(Encoding.ASCII.GetBytes($"{size:X}\r\n"));
            await stream.WriteAsync(chunk.AsMemory(0, size));
            await stream.WriteAsync("\r\n"u8.ToArray());
        }

        await stream.WriteAsync("0\r\n\r\n"u8.ToArray());
    };

    /// <summary>A body of <paramref name="total"/> bytes of <paramref name="fill"/>, for a request that declares its Content-Length.</summary>
    public static Func<Stream, Task> Fixed(long total, byte fill) => async stream =>
    {
        byte[] chunk = new byte[64 * 1024];
        Array.Fill(chunk, fill);
        for (long sent = 0; sent < total; sent += chunk.Length)
        {
            await stream.WriteAsync(chunk.AsMemory(0, (int)Math.Min(chunk.Length, total - sent)));
        }
    };

    public static Func<Stream, Task> Text(string text) => stream => stream.WriteAsync(Encoding.UTF8.GetBytes(text)).AsTask();

    private static async Task SendBodyAsync(Stream stream, Func<Stream, Task> body)
    {
        try
        {
            await body(stream);
        }
        catch (Exception e) when (e is IOException or ObjectDisposedException or SocketException)
        {
            // The server stopped reading: it has refused the body.
        }
    }

    /// <summary>The body of a response read by <see cref="SendAsync"/>, de-chunked if the server chunked it.</summary>
    public static string Body(string response)
    {
        int end = response.IndexOf("\r\n\r\n", StringComparison.Ordinal);
        string head = response[..end];
        string body = response[(end + 4)..];
        if (!head.Contains("Transfer-Encoding: chunked", StringComparison.OrdinalIgnoreCase))
        {
            return body;
        }

        var text = new StringBuilder();
        int at = 0;
        while (true)
        {
            int lineEnd = body.IndexOf("\r\n", at, StringComparison.Ordinal);
            int size = int.Parse(body[at..lineEnd], System.Globalization.NumberStyles.HexNumber, System.Globalization.CultureInfo.InvariantCulture);
            if (size == 0)
            {
                return text.ToString();
            }

            text.Append(body, lineEnd + 2, size);
            at = lineEnd + 2 + size + 2;
        }
    }
}
