package io.flightcontroller.adapters.parse;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonStreamContext;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * The line of every key and list item of a YAML document, read with Jackson's streaming parser, plus what a tree
 * silently drops: the first duplicate key (a tree keeps the last value), the first key with no value, and a second
 * document after {@code ---}.
 *
 * <p>Shape: paths are dotted with list indexes, relative to the root, e.g. {@code measures[1].slo.threshold}; lines
 * are 1-based, as Jackson reports them from SnakeYAML's marks.
 */
final class YamlLines {
    /** A place in the file and, for a duplicate, where the key was first seen. */
    static final class Issue {
        final String path;
        final int line;
        final int firstLine;

        Issue(String path, int line, int firstLine) {
            this.path = path;
            this.line = line;
            this.firstLine = firstLine;
        }
    }

    private final Map<String, Integer> lines = new HashMap<>();
    private Issue duplicate;
    private Issue empty;
    private Issue secondDocument;

    private YamlLines() {}

    /**
     * @param factory a YAML factory
     * @param yaml the document
     * @return lines and issues
     * @throws IOException when the text is not valid YAML (the exception carries the location)
     */
    static YamlLines scan(JsonFactory factory, byte[] yaml) throws IOException {
        YamlLines out = new YamlLines();
        try (JsonParser p = factory.createParser(yaml)) {
            int depth = 0;
            boolean rootSeen = false;
            JsonToken t;
            while ((t = p.nextToken()) != null) {
                int line = p.currentTokenLocation().getLineNr();
                if (depth == 0 && rootSeen) {
                    if (out.secondDocument == null) {
                        out.secondDocument = new Issue("", line, 0);
                    }
                    break;
                }
                JsonStreamContext ctx = p.getParsingContext();
                if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                    out.lines.putIfAbsent(path(ctx.getParent()), line);
                    depth++;
                } else if (t == JsonToken.END_OBJECT || t == JsonToken.END_ARRAY) {
                    depth--;
                } else if (t == JsonToken.FIELD_NAME) {
                    String path = path(ctx);
                    Integer first = out.lines.putIfAbsent(path, line);
                    if (first != null && out.duplicate == null) {
                        out.duplicate = new Issue(path, line, first);
                    }
                } else {
                    out.lines.putIfAbsent(path(ctx), line);
                    if (t == JsonToken.VALUE_NULL && ctx.inObject() && out.empty == null) {
                        out.empty = new Issue(path(ctx), line, 0);
                    }
                }
                rootSeen = rootSeen || depth == 0 || t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY;
            }
        }
        return out;
    }

    private static String path(JsonStreamContext ctx) {
        if (ctx == null || ctx.inRoot()) {
            return "";
        }
        String base = path(ctx.getParent());
        if (ctx.inArray()) {
            return ctx.getCurrentIndex() >= 0 ? base + "[" + ctx.getCurrentIndex() + "]" : base;
        }
        String name = ctx.getCurrentName();
        if (name == null) {
            return base;
        }
        return base.isEmpty() ? name : base + "." + name;
    }

    /**
     * @param path a dotted path, e.g. {@code measures[0].start[1]}
     * @return the line of the path or of its nearest recorded parent; 1 when none is recorded
     */
    int lineOf(String path) {
        String p = path;
        while (true) {
            Integer l = lines.get(p);
            if (l != null) {
                return l;
            }
            if (p.isEmpty()) {
                return 1;
            }
            p = parent(p);
        }
    }

    /**
     * @param path a dotted path
     * @return the path without its last key or index ({@code ""} at the top)
     */
    static String parent(String path) {
        int cut = Math.max(path.lastIndexOf('.'), path.lastIndexOf('['));
        return cut < 0 ? "" : path.substring(0, cut);
    }

    /** @return the first key that appears twice in one mapping, or null */
    Issue duplicate() {
        return duplicate;
    }

    /** @return the first key with no value ({@code key:} or {@code key: ~}), or null */
    Issue empty() {
        return empty;
    }

    /** @return the start of a second YAML document, or null */
    Issue secondDocument() {
        return secondDocument;
    }
}
