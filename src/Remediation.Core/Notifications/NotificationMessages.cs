using System.Text.Json;
using System.Text.Json.Nodes;
using Remediation.Artifacts;

namespace Remediation.Notifications;

/// <summary>
/// The body each channel format expects. Supplied text is data: Slack gets it as <c>plain_text</c> (no mrkdwn), Teams as
/// escaped markdown (Adaptive Card text blocks always render markdown), JSON as it is.
/// </summary>
public static class NotificationMessages
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web);

    public static string Render(Notification notification, NotificationFormat format)
    {
        ArgumentNullException.ThrowIfNull(notification);
        return format switch
        {
            NotificationFormat.Teams => Teams(notification).ToJsonString(),
            NotificationFormat.Slack => Slack(notification).ToJsonString(),
            _ => JsonSerializer.Serialize(notification, Json),
        };
    }

    private static JsonObject Teams(Notification n)
    {
        var body = new JsonArray
        {
            new JsonObject { ["type"] = "TextBlock", ["text"] = MarkdownText.Inline(Heading(n)), ["weight"] = "Bolder", ["size"] = "Medium", ["wrap"] = true },
        };
        if (n.Text.Length > 0)
        {
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = MarkdownText.Inline(n.Text), ["wrap"] = true });
        }

        if (n.Facts.Count > 0)
        {
            body.Add(new JsonObject
            {
                ["type"] = "FactSet",
                ["facts"] = new JsonArray([.. n.Facts.Select(f => (JsonNode)new JsonObject { ["title"] = MarkdownText.Inline(f.Name), ["value"] = MarkdownText.Inline(f.Value) })]),
            });
        }

        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (n.Link is { } link)
        {
            card["actions"] = new JsonArray { new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open", ["url"] = link } };
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray { new JsonObject { ["contentType"] = "application/vnd.microsoft.card.adaptive", ["content"] = card } },
        };
    }

    private static JsonObject Slack(Notification n)
    {
        var blocks = new JsonArray
        {
            new JsonObject { ["type"] = "header", ["text"] = PlainText(Cut(Heading(n), 150)) },
        };
        if (n.Text.Length > 0)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = PlainText(Cut(n.Text, 3000)) });
        }

        // Slack allows at most 10 fields per section.
        foreach (NotificationFact[] chunk in n.Facts.Chunk(10))
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["fields"] = new JsonArray([.. chunk.Select(f => (JsonNode)PlainText(Cut($"{f.Name}: {f.Value}", 2000)))]) });
        }

        if (n.Link is { } link)
        {
            blocks.Add(new JsonObject { ["type"] = "section", ["text"] = PlainText(Cut(link, 3000)) });
        }

        return new JsonObject { ["text"] = Cut(Heading(n) + (n.Text.Length > 0 ? " — " + n.Text : ""), 3000), ["blocks"] = blocks };
    }

    private static JsonObject PlainText(string text) => new() { ["type"] = "plain_text", ["text"] = text, ["emoji"] = false };

    private static string Heading(Notification n) => $"[{n.Kind}] {n.Title}";

    private static string Cut(string text, int max) => text.Length <= max ? text : text[..(max - 1)] + "…";
}
