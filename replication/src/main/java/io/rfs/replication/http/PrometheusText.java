package io.rfs.replication.http;

import java.util.Locale;

/**
 * Writes metrics in the Prometheus text exposition format, version 0.0.4: per family a {@code # HELP} and a
 * {@code # TYPE} line, then one sample per line. Names and label names must already be valid
 * ({@code [a-zA-Z_:][a-zA-Z0-9_:]*}); label values and help texts are escaped here.
 * <pre>{@code
 * final PrometheusText text = new PrometheusText();
 * text.family("rfs_chunks_written_total", "counter", "Chunks written.").sample("rfs_chunks_written_total", 42);
 * }</pre>
 */
public final class PrometheusText
{
    /** The {@code Content-Type} of the format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private final StringBuilder text = new StringBuilder(4096);

    /**
     * Starts a metric family.
     *
     * @param name its name.
     * @param type {@code counter}, {@code gauge} or {@code untyped}.
     * @param help one line for people.
     * @return this.
     */
    public PrometheusText family(final String name, final String type, final String help)
    {
        text.append("# HELP ").append(name).append(' ');
        for (int i = 0; i < help.length(); i++)
        {
            final char c = help.charAt(i);
            if (c == '\\')
            {
                text.append("\\\\");
            }
            else if (c == '\n')
            {
                text.append("\\n");
            }
            else
            {
                text.append(c);
            }
        }
        text.append('\n').append("# TYPE ").append(name).append(' ').append(type).append('\n');
        return this;
    }

    /**
     * @param name  the sample's name.
     * @param value its value.
     * @return this.
     */
    public PrometheusText sample(final String name, final double value)
    {
        text.append(name).append(' ');
        return value(value);
    }

    /**
     * @param name       the sample's name.
     * @param labelName  a label.
     * @param labelValue its value, escaped here.
     * @param value      the sample's value.
     * @return this.
     */
    public PrometheusText sample(final String name, final String labelName, final String labelValue, final double value)
    {
        text.append(name).append('{');
        label(labelName, labelValue);
        text.append("} ");
        return value(value);
    }

    /**
     * @param name        the sample's name.
     * @param labelName   a label.
     * @param labelValue  its value, escaped here.
     * @param label2Name  a second label, e.g. a histogram's {@code le}.
     * @param label2Value its value, escaped here.
     * @param value       the sample's value.
     * @return this.
     */
    public PrometheusText sample(final String name, final String labelName, final String labelValue,
        final String label2Name, final String label2Value, final double value)
    {
        text.append(name).append('{');
        label(labelName, labelValue);
        text.append(',');
        label(label2Name, label2Value);
        text.append("} ");
        return value(value);
    }

    private void label(final String labelName, final String labelValue)
    {
        text.append(labelName).append("=\"");
        for (int i = 0; i < labelValue.length(); i++)
        {
            final char c = labelValue.charAt(i);
            switch (c)
            {
                case '\\' -> text.append("\\\\");
                case '"' -> text.append("\\\"");
                case '\n' -> text.append("\\n");
                default -> text.append(c);
            }
        }
        text.append('"');
    }

    private PrometheusText value(final double value)
    {
        if (Double.isNaN(value))
        {
            text.append("NaN");
        }
        else if (Double.isInfinite(value))
        {
            text.append(value > 0 ? "+Inf" : "-Inf");
        }
        else if (value == Math.rint(value) && Math.abs(value) < 1e15)
        {
            text.append((long)value);
        }
        else
        {
            text.append(String.format(Locale.ROOT, "%.6g", value));
        }
        text.append('\n');
        return this;
    }

    /**
     * @param name a name in any case with any separators, e.g. {@code CHUNKS_WRITTEN}.
     * @return it in lower case with every character that a metric name may not hold replaced by {@code _}.
     */
    public static String metricName(final String name)
    {
        final StringBuilder result = new StringBuilder(name.length());
        for (int i = 0; i < name.length(); i++)
        {
            final char c = Character.toLowerCase(name.charAt(i));
            final boolean valid = (c >= 'a' && c <= 'z') || c == '_' || c == ':' || (i > 0 && c >= '0' && c <= '9');
            result.append(valid ? c : '_');
        }
        return result.toString();
    }

    @Override
    public String toString()
    {
        return text.toString();
    }
}
