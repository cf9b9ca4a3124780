using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;

namespace TrackingProfiler.Profiler.Reports.Writers;

/// <summary>
/// One self-contained page (styles, script and data inline; a Content-Security-Policy forbids every fetch): the
/// per-group table, then a flame graph per group drawn by the page's script from the report's call paths (or, with
/// no stacks, one box per allocated type), searchable. Names reach the page as JSON data and DOM text, never as markup.
/// </summary>
public sealed class HtmlWriter : IReportWriter
{
    public bool IsText => true;

    public void Write(AllocationReport report, Stream output) => ReportWriters.WriteText(output, Render(report));

    public static string Render(AllocationReport report)
    {
        var s = report.Session;
        var html = new StringBuilder();
        html.Append(Head.Replace("{{title}}", Encode($"dotnet-alloctrack report: {s.Mode} pid {s.TargetPid} ({ReportFigures.ProcessName(report)})"), StringComparison.Ordinal));
        html.Append("<header><h1>dotnet-alloctrack report</h1><p class=\"facts\">");
        html.Append(Encode(string.Create(CultureInfo.InvariantCulture,
            $"{s.Mode} · pid {s.TargetPid} ({ReportFigures.ProcessName(report)}) · .NET {s.RuntimeVersion ?? "unknown"} · sampling: {s.SamplingMode} · {s.DurationSeconds:0.0} s · {s.EventsProcessed:N0} events · ")));
        html.Append(s.EventsLost > 0 ? "<strong class=\"lost\">" : "<span>").Append(Encode($"events lost: {s.EventsLost.ToString("N0", CultureInfo.InvariantCulture)}")).Append(s.EventsLost > 0 ? "</strong>" : "</span>");
        html.Append("</p></header>\n<main>\n<section id=\"groups\"><h2>Groups</h2>\n<table>\n<thead><tr>");
        var visible = ReportColumns.Visible(ReportColumns.For(report)).ToList();
        foreach (var column in visible)
        {
            html.Append(column.IsNumber ? "<th class=\"num\">" : "<th>").Append(Encode(column.Heading!)).Append("</th>");
        }

        html.Append("</tr></thead>\n<tbody>\n");
        foreach (var g in report.Groups)
        {
            html.Append("<tr>");
            foreach (var column in visible)
            {
                string text = DisplayText.Neutralize(column.Text(g));
                html.Append(column.IsNumber ? "<td class=\"num\">" : $"<td class=\"text\" title=\"{Encode(text)}\">").Append(Encode(text)).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        foreach (var process in TotalRows.Of(report))
        {
            html.Append("<tr class=\"total\">");
            foreach (var column in visible)
            {
                html.Append(column.IsNumber ? "<td class=\"num\">" : "<td>").Append(Encode(TotalRows.Text(column, process))).Append("</td>");
            }

            html.Append("</tr>\n");
        }

        html.Append("</tbody>\n</table>\n<ul class=\"legend\">\n");
        foreach (string line in ReportLegend.For(report))
        {
            html.Append("<li>").Append(Encode(line)).Append("</li>\n");
        }

        foreach (string note in s.Notes)
        {
            html.Append("<li class=\"note\">Note: ").Append(Encode(DisplayText.Neutralize(note))).Append("</li>\n");
        }

        html.Append("</ul></section>\n<section id=\"flames\"><h2>Where the bytes were allocated</h2>\n");
        html.Append(GroupStacks.HasCallPaths(report)
            ? "<p class=\"hint\">One flame graph per group (icicle: callers above, the allocating method at the bottom of each column). Width is estimated bytes. Hover a frame for its figures; click it to zoom, click the top bar to zoom out; boxes under 0.1% of the view are left out.</p>\n"
            : "<p class=\"hint nostacks\">This report has no call stacks, so each group shows its allocated types instead. Record with <code>--stacks</code> to see which methods allocate.</p>\n");
        html.Append("<div class=\"search\"><label>Search frames <input id=\"search\" type=\"search\" placeholder=\"method or type name\" autocomplete=\"off\"></label> <span id=\"search-result\"></span></div>\n");
        html.Append("<div id=\"flamegraphs\"><p class=\"noscript\">The flame graphs need JavaScript.</p></div>\n</section>\n</main>\n");
        html.Append("<script type=\"application/json\" id=\"report-data\">").Append(Data(report)).Append("</script>\n");
        html.Append("<script>").Append(Script).Append("</script>\n</body>\n</html>\n");
        return html.ToString();
    }

    private static string Encode(string text) => WebUtility.HtmlEncode(DisplayText.Neutralize(text));

    /// <summary>
    /// The flame graph data as JSON inside a script element. The default encoder writes <c>&lt;</c>, <c>&gt;</c> and
    /// <c>&amp;</c> as <c>\u003C</c>…, so no name can close the element; names are otherwise exact.
    /// </summary>
    private static string Data(AllocationReport report)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteBoolean("callPaths", GroupStacks.HasCallPaths(report));
            json.WriteStartArray("groups");
            bool multiProcess = report.Groups.Select(g => g.ProcessId).Distinct().Count() > 1;
            foreach (var group in report.Groups)
            {
                var stacks = GroupStacks.Of(group);
                if (stacks.Count == 0)
                {
                    continue;
                }

                json.WriteStartObject();
                json.WriteString("name", DisplayText.Neutralize(multiProcess ? $"{group.Name} (pid {group.ProcessId})" : group.Name));
                json.WriteStartArray("stacks");
                foreach (var stack in stacks)
                {
                    json.WriteStartObject();
                    json.WriteNumber("bytes", stack.EstimatedBytes);
                    json.WriteNumber("samples", stack.Samples);
                    json.WriteStartArray("frames"); // root first, as drawn
                    foreach (var frame in stack.Frames.Reverse())
                    {
                        json.WriteStartArray();
                        json.WriteStringValue(DisplayText.Neutralize(frame.Method));
                        json.WriteStringValue(frame.Module is null ? string.Empty : DisplayText.Neutralize(frame.Module));
                        json.WriteEndArray();
                    }

                    json.WriteEndArray();
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return ReportWriters.Utf8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    private const string Head = """
        <!DOCTYPE html>
        <html lang="en">
        <head>
        <meta charset="utf-8">
        <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'; script-src 'unsafe-inline'">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}}</title>
        <style>
        body { font: 14px/1.4 system-ui, -apple-system, "Segoe UI", sans-serif; margin: 0; color: #1f2328; background: #fff; }
        header, main { padding: 0 24px; }
        h1 { font-size: 20px; margin: 16px 0 4px; }
        h2 { font-size: 16px; margin: 20px 0 8px; }
        .facts { color: #57606a; margin: 0 0 8px; }
        .lost { color: #b42318; }
        table { border-collapse: collapse; font-size: 13px; }
        th, td { padding: 4px 10px; border-bottom: 1px solid #d0d7de; text-align: left; white-space: nowrap; }
        th { background: #f6f8fa; }
        .num { text-align: right; font-variant-numeric: tabular-nums; }
        tr.total td { font-weight: 600; border-top: 2px solid #d0d7de; }
        td.text { max-width: 420px; overflow: hidden; text-overflow: ellipsis; }
        .legend { color: #57606a; font-size: 12px; padding-left: 18px; }
        .note { color: #9a6700; }
        .hint { color: #57606a; }
        .search { margin: 8px 0 12px; }
        .search input { font: inherit; padding: 3px 6px; width: 280px; }
        #search-result { color: #57606a; margin-left: 8px; }
        .flamegraph { margin: 0 0 24px; }
        .flamegraph h3 { font-size: 14px; margin: 12px 0 4px; overflow: hidden; text-overflow: ellipsis; white-space: nowrap; }
        .frames { position: relative; width: 100%; overflow: hidden; border: 1px solid #d0d7de; background: #fafbfc; }
        .frame { position: absolute; height: 17px; box-sizing: border-box; border: 1px solid #fff; border-radius: 2px;
                 font: 11px/15px ui-monospace, SFMono-Regular, Menlo, Consolas, monospace; padding: 0 3px; overflow: hidden;
                 white-space: nowrap; text-overflow: ellipsis; cursor: pointer; color: #1f2328; }
        .frame.root { background: #d0d7de; }
        .frame.match { background: #d946ef !important; color: #fff; }
        .frames.searching .frame:not(.match) { opacity: 0.35; }
        </style>
        </head>
        <body>

        """;

    private const string Script = """

        (function () {
          'use strict';
          var data = JSON.parse(document.getElementById('report-data').textContent);
          var container = document.getElementById('flamegraphs');
          container.textContent = '';
          var ROW = 18;
          var graphs = [];

          function formatBytes(b) {
            var units = ['B', 'KiB', 'MiB', 'GiB', 'TiB'], i = 0;
            while (b >= 1024 && i < units.length - 1) { b /= 1024; i++; }
            return i === 0 ? b.toFixed(0) + ' B' : b.toFixed(1) + ' ' + units[i];
          }

          function color(name, module) {
            var h = 0;
            for (var i = 0; i < name.length; i++) { h = (h * 31 + name.charCodeAt(i)) | 0; }
            var hue = module === '(allocated type)' ? 200 + (Math.abs(h) % 40) : 10 + (Math.abs(h) % 40);
            return 'hsl(' + hue + ', 80%, ' + (62 + Math.abs(h >> 8) % 14) + '%)';
          }

          function buildTree(group) {
            var root = { name: group.name, module: '', value: 0, samples: 0, children: [], index: {} };
            group.stacks.forEach(function (stack) {
              var node = root;
              root.value += stack.bytes; root.samples += stack.samples;
              stack.frames.forEach(function (f) {
                var key = f[0] + '\u0000' + f[1];
                var child = node.index[key];
                if (!child) {
                  child = { name: f[0], module: f[1], value: 0, samples: 0, children: [], index: {} };
                  node.index[key] = child; node.children.push(child);
                }
                child.value += stack.bytes; child.samples += stack.samples;
                node = child;
              });
            });
            return root;
          }

          // Boxes narrower than this share of the view are left out (sub-pixel), and so is the depth below them.
          var MIN_WIDTH = 0.001;

          function draw(graph, focus) {
            var frames = graph.frames;
            frames.textContent = '';
            var total = focus.value || 1;
            var maxDepth = 0;
            function place(node, x, depth) {
              var width = node.value / total;
              if (width <= 0 || (width < MIN_WIDTH && node !== focus)) { return; }
              maxDepth = Math.max(maxDepth, depth);
              var el = document.createElement('div');
              el.className = node === focus && node === graph.root ? 'frame root' : 'frame';
              el.style.left = (x * 100) + '%';
              el.style.width = (width * 100) + '%';
              el.style.top = (depth * ROW) + 'px';
              if (node !== graph.root) { el.style.background = color(node.name, node.module); }
              el.textContent = node.name;
              el.title = node.name + (node.module ? '  [' + node.module + ']' : '') + '\n' + formatBytes(node.value) +
                ' (' + (100 * node.value / graph.root.value).toFixed(1) + '% of the group), ' + node.samples + ' samples';
              el.dataset.name = node.name.toLowerCase();
              el.dataset.bytes = String(node.value);
              el.addEventListener('click', function () { draw(graph, node === focus ? graph.root : node); search(); });
              frames.appendChild(el);
              var childX = x;
              node.children.slice().sort(function (a, b) { return b.value - a.value; }).forEach(function (c) {
                place(c, childX, depth + 1);
                childX += c.value / total;
              });
            }
            place(focus, 0, 0);
            frames.style.height = ((maxDepth + 1) * ROW + 2) + 'px';
          }

          data.groups.forEach(function (group) {
            var section = document.createElement('div');
            section.className = 'flamegraph';
            var title = document.createElement('h3');
            var root = buildTree(group);
            title.textContent = group.name + ' — ' + formatBytes(root.value) + ' estimated';
            title.title = group.name;
            var frames = document.createElement('div');
            frames.className = 'frames';
            section.appendChild(title);
            section.appendChild(frames);
            container.appendChild(section);
            var graph = { root: root, frames: frames };
            graphs.push(graph);
            draw(graph, root);
          });

          if (graphs.length === 0) {
            var none = document.createElement('p');
            none.className = 'hint';
            none.textContent = 'No allocation samples: nothing to draw.';
            container.appendChild(none);
          }

          var input = document.getElementById('search');
          var result = document.getElementById('search-result');
          function search() {
            var q = input.value.trim().toLowerCase();
            var matches = 0, bytes = 0, total = 0;
            graphs.forEach(function (graph) {
              graph.frames.classList.toggle('searching', q.length > 0);
              total += graph.root.value;
              graph.frames.querySelectorAll('.frame').forEach(function (el) {
                var hit = q.length > 0 && el.dataset.name.indexOf(q) >= 0 && !el.classList.contains('root');
                el.classList.toggle('match', hit);
                if (hit) { matches++; }
              });
              // Bytes under matching frames, each counted once (not again under a matching caller).
              (function walk(node, counted) {
                var hit = !counted && node !== graph.root && q.length > 0 && node.name.toLowerCase().indexOf(q) >= 0;
                if (hit) { bytes += node.value; }
                node.children.forEach(function (c) { walk(c, counted || hit); });
              })(graph.root, false);
            });
            result.textContent = q.length === 0 ? '' : matches + ' matching frame(s), ' + formatBytes(bytes) +
              ' (' + (total ? (100 * bytes / total).toFixed(1) : '0') + '% of all estimated bytes)';
          }
          input.addEventListener('input', search);
          var initial = new URLSearchParams(location.search).get('search');
          if (initial) { input.value = initial; }
          search();
        })();

        """;
}
