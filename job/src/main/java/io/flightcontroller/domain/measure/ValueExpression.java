package io.flightcontroller.domain.measure;

import io.flightcontroller.domain.event.ProcessEvent;
import java.io.Serializable;
import java.util.Collection;
import java.util.Map;

/**
 * A small arithmetic expression over one event's payload, for measures of kind {@code value}.
 *
 * <p>Grammar: {@code expr := term (('+'|'-') term)*}, {@code term := factor (('*'|'/') factor)*},
 * {@code factor := number | '(' expr ')' | '-' factor | count(path) | num(path) | path}. A {@code path} is a dotted
 * payload path such as {@code payload.failed_instances} (the {@code payload.} prefix is optional).
 * {@code count(path)} is the number of items in a JSON array, or of non-blank comma-separated items in a string
 * (0 for a missing field or an empty list/string); {@code num(path)} (or a bare path) is the field as a number.
 *
 * <p>Evaluation yields null ("no value") when a referenced number is missing or not numeric, or on division by zero;
 * the caller counts such events instead of emitting a metric. Example (patch compliance in percent):
 * {@code 100 * count(successful_instances) / (count(successful_instances) + count(failed_instances))}.
 */
public final class ValueExpression implements Serializable {
    private static final long serialVersionUID = 1L;

    private final String source;
    private transient Node root;

    private ValueExpression(String source) {
        this.source = source;
        this.root = new Parser(source).parseAll();
    }

    /**
     * Compiles an expression.
     *
     * @param source the expression text
     * @return the compiled expression
     * @throws IllegalArgumentException with the position of the syntax error
     */
    public static ValueExpression compile(String source) {
        if (source == null || source.trim().isEmpty()) {
            throw new IllegalArgumentException("expression is empty");
        }
        return new ValueExpression(source);
    }

    /** @return the expression text */
    public String getSource() {
        return source;
    }

    /**
     * Evaluates the expression on one event.
     *
     * @param event the event whose payload is read
     * @return the value, or null when it cannot be computed (missing number, division by zero)
     */
    public Double evaluate(ProcessEvent event) {
        if (root == null) {
            root = new Parser(source).parseAll();
        }
        double v = root.eval(event);
        return Double.isNaN(v) || Double.isInfinite(v) ? null : v;
    }

    private interface Node extends Serializable {
        double eval(ProcessEvent e);
    }

    /**
     * Counts the items of a list-valued field: a JSON array's size, or the non-blank comma-separated items of a string.
     *
     * @param v the field value (null, a collection, a string, or a scalar)
     * @return number of items (0 for null, empty array or blank string; 1 for another scalar)
     */
    public static int countItems(Object v) {
        if (v == null) {
            return 0;
        }
        if (v instanceof Collection) {
            return ((Collection<?>) v).size();
        }
        if (v instanceof Map) {
            return ((Map<?, ?>) v).size();
        }
        String s = v.toString().trim();
        if (s.startsWith("[") && s.endsWith("]")) {
            s = s.substring(1, s.length() - 1);
        }
        int n = 0;
        for (String part : s.split(",")) {
            String p = part.trim();
            if (p.startsWith("\"") && p.endsWith("\"") && p.length() >= 2) {
                p = p.substring(1, p.length() - 1).trim();
            }
            if (!p.isEmpty()) {
                n++;
            }
        }
        return n;
    }

    private static double toNumber(Object v) {
        if (v instanceof Number) {
            return ((Number) v).doubleValue();
        }
        if (v instanceof String) {
            try {
                return Double.parseDouble(((String) v).trim());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    private static final class Parser {
        private final String s;
        private int pos;

        Parser(String s) {
            this.s = s;
        }

        Node parseAll() {
            Node n = expr();
            skipWs();
            if (pos != s.length()) {
                throw error("unexpected '" + s.charAt(pos) + "'");
            }
            return n;
        }

        private IllegalArgumentException error(String what) {
            return new IllegalArgumentException("expression '" + s + "' at position " + pos + ": " + what);
        }

        private void skipWs() {
            while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) {
                pos++;
            }
        }

        private boolean eat(char c) {
            skipWs();
            if (pos < s.length() && s.charAt(pos) == c) {
                pos++;
                return true;
            }
            return false;
        }

        private Node expr() {
            Node left = term();
            while (true) {
                if (eat('+')) {
                    Node l = left, r = term();
                    left = e -> l.eval(e) + r.eval(e);
                } else if (eat('-')) {
                    Node l = left, r = term();
                    left = e -> l.eval(e) - r.eval(e);
                } else {
                    return left;
                }
            }
        }

        private Node term() {
            Node left = factor();
            while (true) {
                if (eat('*')) {
                    Node l = left, r = factor();
                    left = e -> l.eval(e) * r.eval(e);
                } else if (eat('/')) {
                    Node l = left, r = factor();
                    left = e -> {
                        double d = r.eval(e);
                        return d == 0 ? Double.NaN : l.eval(e) / d;
                    };
                } else {
                    return left;
                }
            }
        }

        private Node factor() {
            skipWs();
            if (eat('(')) {
                Node n = expr();
                if (!eat(')')) {
                    throw error("expected ')'");
                }
                return n;
            }
            if (eat('-')) {
                Node n = factor();
                return e -> -n.eval(e);
            }
            skipWs();
            int start = pos;
            if (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                while (pos < s.length() && (Character.isDigit(s.charAt(pos)) || s.charAt(pos) == '.')) {
                    pos++;
                }
                double v = Double.parseDouble(s.substring(start, pos));
                return e -> v;
            }
            while (pos < s.length()
                    && (Character.isLetterOrDigit(s.charAt(pos))
                            || s.charAt(pos) == '_'
                            || s.charAt(pos) == '.'
                            || s.charAt(pos) == ':'
                            || s.charAt(pos) == '-')) {
                pos++;
            }
            if (start == pos) {
                throw error(pos < s.length() ? "unexpected '" + s.charAt(pos) + "'" : "unexpected end");
            }
            String name = s.substring(start, pos);
            if (eat('(')) {
                skipWs();
                int ps = pos;
                while (pos < s.length() && s.charAt(pos) != ')') {
                    pos++;
                }
                String path = s.substring(ps, pos).trim();
                if (!eat(')') || path.isEmpty()) {
                    throw error("expected a field path and ')' after " + name + "(");
                }
                if (name.equals("count")) {
                    return e -> countItems(e.payloadField(path));
                }
                if (name.equals("num")) {
                    return e -> toNumber(e.payloadField(path));
                }
                throw error("unknown function '" + name + "', expected count or num");
            }
            return e -> toNumber(e.payloadField(name));
        }
    }
}
