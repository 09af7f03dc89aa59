package io.rfs.gateway;

import java.time.Instant;
import java.time.temporal.ChronoUnit;

/**
 * Writes the small XML documents of S3 responses, escaping text as XML 1.0 requires.
 */
final class S3Xml
{
    /** S3's namespace. */
    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder xml = new StringBuilder(1024).append("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");

    S3Xml open(final String element)
    {
        xml.append('<').append(element).append('>');
        return this;
    }

    S3Xml openRoot(final String element)
    {
        xml.append('<').append(element).append(" xmlns=\"").append(NAMESPACE).append("\">");
        return this;
    }

    S3Xml close(final String element)
    {
        xml.append("</").append(element).append('>');
        return this;
    }

    S3Xml element(final String element, final Object text)
    {
        return open(element).text(text).close(element);
    }

    /**
     * @param text text inside the element last opened, escaped here.
     * @return this.
     */
    S3Xml text(final Object text)
    {
        final String value = String.valueOf(text);
        for (int i = 0; i < value.length(); i++)
        {
            final char c = value.charAt(i);
            switch (c)
            {
                case '<' -> xml.append("&lt;");
                case '>' -> xml.append("&gt;");
                case '&' -> xml.append("&amp;");
                case '"' -> xml.append("&quot;");
                case '\r' -> xml.append("&#13;");
                default ->
                {
                    if (c < 0x20 && c != '\t' && c != '\n')
                    {
                        // Not representable in XML 1.0 even as a reference: only listings with encoding-type=url
                        // carry such keys faithfully.
                        xml.append('\uFFFD');
                    }
                    else
                    {
                        xml.append(c);
                    }
                }
            }
        }
        return this;
    }

    /**
     * @param instant a time.
     * @return it as S3 writes times in XML, ISO 8601 with milliseconds.
     */
    static String time(final Instant instant)
    {
        return instant.truncatedTo(ChronoUnit.MILLIS).toString();
    }

    @Override
    public String toString()
    {
        return xml.toString();
    }
}
