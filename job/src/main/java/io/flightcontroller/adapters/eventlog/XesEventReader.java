package io.flightcontroller.adapters.eventlog;

import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import javax.xml.stream.Location;
import javax.xml.stream.XMLInputFactory;
import javax.xml.stream.XMLStreamConstants;
import javax.xml.stream.XMLStreamException;
import javax.xml.stream.XMLStreamReader;

/**
 * Streams an XES log with StAX into an {@link EventCollector}, holding one trace at a time.
 *
 * <p>Only attributes that are direct children of a {@code <trace>} or {@code <event>} count (so {@code <global>}
 * defaults, meta-attributes and the children of {@code <list>}/{@code <container>} are ignored); an attribute is any
 * element with {@code key} and {@code value} ({@code string}, {@code date}, {@code int}, {@code float},
 * {@code boolean}, {@code id}); the first occurrence of a key wins. The case id is the trace attribute named by
 * {@code caseColumn} without a leading {@code case:}, or failing that the event attribute named {@code caseColumn}.
 * Payload: the event's other attributes, then the trace's other attributes with a {@code case:} prefix. Events
 * outside any trace are read with no trace attributes. Element names are matched ignoring namespaces.
 */
final class XesEventReader {
    private static final Set<String> ATTRIBUTE_TYPES = Set.of("string", "date", "int", "float", "boolean", "id");

    private XesEventReader() {}

    /**
     * @param in the XML bytes (encoding from the XML declaration); not closed
     * @param opts options (attribute keys)
     * @param sink receives the events in file order
     * @throws IOException when reading fails or the XML is not well-formed
     */
    static void read(InputStream in, EventLogOptions opts, EventCollector sink) throws IOException {
        XMLInputFactory factory = XMLInputFactory.newFactory();
        factory.setProperty(XMLInputFactory.SUPPORT_DTD, false);
        factory.setProperty(XMLInputFactory.IS_SUPPORTING_EXTERNAL_ENTITIES, false);
        String caseColumn = opts.caseColumn();
        String traceCaseKey = caseColumn.startsWith("case:") ? caseColumn.substring("case:".length()) : caseColumn;
        XMLStreamReader r = null;
        try {
            r = factory.createXMLStreamReader(in);
            Deque<String> path = new ArrayDeque<>();
            Map<String, String> traceAttrs = null;
            List<Map<String, String>> traceEvents = null;
            Map<String, String> event = null;
            while (r.hasNext()) {
                int type = r.next();
                if (type == XMLStreamConstants.START_ELEMENT) {
                    String name = r.getLocalName();
                    String parent = path.peek();
                    if ("trace".equals(name) && traceAttrs == null && event == null) {
                        traceAttrs = new LinkedHashMap<>();
                        traceEvents = new ArrayList<>();
                    } else if ("event".equals(name) && event == null) {
                        event = new LinkedHashMap<>();
                    } else if (ATTRIBUTE_TYPES.contains(name) && ("trace".equals(parent) || "event".equals(parent))) {
                        String key = r.getAttributeValue(null, "key");
                        String value = r.getAttributeValue(null, "value");
                        if (key != null && value != null) {
                            Map<String, String> target = "event".equals(parent) ? event : traceAttrs;
                            if (target != null) {
                                target.putIfAbsent(key, value);
                            }
                        }
                    }
                    path.push(name);
                } else if (type == XMLStreamConstants.END_ELEMENT) {
                    path.pop();
                    String name = r.getLocalName();
                    if ("event".equals(name) && event != null && !path.contains("event")) {
                        if (traceEvents != null) {
                            traceEvents.add(event);
                        } else {
                            emit(Collections.emptyMap(), event, traceCaseKey, opts, sink);
                        }
                        event = null;
                    } else if ("trace".equals(name) && traceAttrs != null && !path.contains("trace")) {
                        for (Map<String, String> e : traceEvents) {
                            emit(traceAttrs, e, traceCaseKey, opts, sink);
                        }
                        traceAttrs = null;
                        traceEvents = null;
                    }
                }
            }
        } catch (XMLStreamException e) {
            Location at = e.getLocation();
            throw new IOException(
                    "malformed XES" + (at == null ? "" : " at line " + at.getLineNumber()) + ": " + e.getMessage(), e);
        } finally {
            if (r != null) {
                try {
                    r.close();
                } catch (XMLStreamException ignored) {
                    // closing a reader over a stream we do not own; nothing to release
                }
            }
        }
    }

    private static void emit(
            Map<String, String> trace,
            Map<String, String> event,
            String traceCaseKey,
            EventLogOptions opts,
            EventCollector sink)
            throws IOException {
        String caseFromTrace = trace.get(traceCaseKey);
        boolean caseFromEvent = caseFromTrace == null || caseFromTrace.trim().isEmpty();
        String caseId = caseFromEvent ? event.get(opts.caseColumn()) : caseFromTrace;
        Map<String, String> payload = new LinkedHashMap<>();
        for (Map.Entry<String, String> a : event.entrySet()) {
            String k = a.getKey();
            if (k.equals(opts.activityColumn())
                    || k.equals(opts.timeColumn())
                    || (caseFromEvent && k.equals(opts.caseColumn()))
                    || a.getValue().isEmpty()) {
                continue;
            }
            payload.put(k, a.getValue());
        }
        for (Map.Entry<String, String> a : trace.entrySet()) {
            if (a.getKey().equals(traceCaseKey) || a.getValue().isEmpty()) {
                continue;
            }
            payload.putIfAbsent("case:" + a.getKey(), a.getValue());
        }
        sink.accept(caseId, event.get(opts.activityColumn()), event.get(opts.timeColumn()), payload);
    }
}
