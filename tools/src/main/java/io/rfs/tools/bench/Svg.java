package io.rfs.tools.bench;

import java.util.Locale;

/**
 * A minimal SVG writer for the HTML report's charts: shapes and text appended to a string, coordinates in pixels
 * with two decimals, every text escaped.
 */
final class Svg
{
    private final StringBuilder out = new StringBuilder();

    /**
     * @param width  of the drawing.
     * @param height of the drawing.
     * @param title  what it shows, for screen readers.
     */
    Svg(final int width, final int height, final String title)
    {
        out.append(String.format(Locale.ROOT,
            "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%d\" viewBox=\"0 0 %d %d\" " +
            "role=\"img\" aria-label=\"%s\" font-family=\"system-ui, sans-serif\" font-size=\"12\">%n",
            width, height, width, height, escape(title)));
    }

    Svg rect(final double x, final double y, final double width, final double height, final String fill,
        final String extra)
    {
        out.append(String.format(Locale.ROOT,
            "<rect x=\"%.2f\" y=\"%.2f\" width=\"%.2f\" height=\"%.2f\" fill=\"%s\"%s/>%n",
            x, y, Math.max(0, width), Math.max(0, height), fill, extra.isEmpty() ? "" : " " + extra));
        return this;
    }

    Svg line(final double x1, final double y1, final double x2, final double y2, final String stroke,
        final String extra)
    {
        out.append(String.format(Locale.ROOT,
            "<line x1=\"%.2f\" y1=\"%.2f\" x2=\"%.2f\" y2=\"%.2f\" stroke=\"%s\"%s/>%n",
            x1, y1, x2, y2, stroke, extra.isEmpty() ? "" : " " + extra));
        return this;
    }

    Svg text(final double x, final double y, final String anchor, final String text, final String extra)
    {
        out.append(String.format(Locale.ROOT, "<text x=\"%.2f\" y=\"%.2f\" text-anchor=\"%s\"%s>%s</text>%n",
            x, y, anchor, extra.isEmpty() ? "" : " " + extra, escape(text)));
        return this;
    }

    Svg polyline(final double[] xs, final double[] ys, final String stroke)
    {
        final StringBuilder points = new StringBuilder();
        for (int i = 0; i < xs.length; i++)
        {
            points.append(String.format(Locale.ROOT, "%s%.2f,%.2f", i == 0 ? "" : " ", xs[i], ys[i]));
        }
        out.append(String.format(Locale.ROOT,
            "<polyline points=\"%s\" fill=\"none\" stroke=\"%s\" stroke-width=\"2\"/>%n", points, stroke));
        for (int i = 0; i < xs.length; i++)
        {
            out.append(String.format(Locale.ROOT, "<circle cx=\"%.2f\" cy=\"%.2f\" r=\"2.5\" fill=\"%s\"/>%n",
                xs[i], ys[i], stroke));
        }
        return this;
    }

    /**
     * @return the finished drawing.
     */
    String end()
    {
        return out.append("</svg>\n").toString();
    }

    /**
     * @param text any text.
     * @return it with the characters XML gives meaning to escaped.
     */
    static String escape(final String text)
    {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
