package io.rfs.gateway;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Parses the body of CompleteMultipartUpload:
 * {@code <CompleteMultipartUpload><Part><PartNumber>1</PartNumber><ETag>"..."</ETag></Part>...}, with DTDs and
 * external entities refused.
 */
final class CompleteMultipartRequest
{
    /** The largest body accepted: 10,000 parts at about 100 bytes each. */
    static final int MAX_BYTES = 2 * 1024 * 1024;

    private CompleteMultipartRequest()
    {
    }

    /**
     * @param xml the body.
     * @return the parts, number and unquoted ETag, in the order given.
     * @throws S3Exception {@code MalformedXML}.
     */
    static List<MultipartUploads.Part> parse(final byte[] xml) throws S3Exception
    {
        try
        {
            final DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setExpandEntityReferences(false);
            final Document document = factory.newDocumentBuilder().parse(new ByteArrayInputStream(xml));
            final NodeList elements = document.getDocumentElement().getElementsByTagName("Part");
            final List<MultipartUploads.Part> parts = new ArrayList<>(elements.getLength());
            for (int i = 0; i < elements.getLength(); i++)
            {
                final Element part = (Element)elements.item(i);
                final String number = text(part, "PartNumber");
                final String etag = text(part, "ETag").replace("\"", "").trim();
                parts.add(new MultipartUploads.Part(MultipartUploads.partNumber(number.trim()), etag, -1, 0, null));
            }
            return parts;
        }
        catch (final ParserConfigurationException | SAXException | IOException ex)
        {
            throw S3Error.MALFORMED_XML.exception("The XML you provided was not well-formed or did not validate " +
                "against our published schema: " + ex.getMessage());
        }
    }

    private static String text(final Element parent, final String name) throws S3Exception
    {
        final NodeList nodes = parent.getElementsByTagName(name);
        if (nodes.getLength() != 1)
        {
            throw S3Error.MALFORMED_XML.exception("each Part needs one " + name);
        }
        return nodes.item(0).getTextContent();
    }
}
