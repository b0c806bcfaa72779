package io.hybridstore.gateway.s3;

import org.w3c.dom.Document;
import org.w3c.dom.Element;
import org.w3c.dom.NodeList;
import org.xml.sax.SAXException;
import org.xml.sax.helpers.DefaultHandler;

import javax.xml.XMLConstants;
import javax.xml.parsers.DocumentBuilder;
import javax.xml.parsers.DocumentBuilderFactory;
import javax.xml.parsers.ParserConfigurationException;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import java.util.ArrayDeque;
import java.util.Deque;

/** The XML of S3 answers: elements and escaped text, nothing more is needed. */
final class Xml {

    static final String NAMESPACE = "http://s3.amazonaws.com/doc/2006-03-01/";

    private final StringBuilder out = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n");
    private final Deque<String> open = new ArrayDeque<>();

    /** A document whose root element carries the S3 namespace. */
    static Xml document(String root) {
        Xml xml = new Xml();
        xml.out.append('<').append(root).append(" xmlns=\"").append(NAMESPACE).append("\">");
        xml.open.push(root);
        return xml;
    }

    Xml open(String name) {
        out.append('<').append(name).append('>');
        open.push(name);
        return this;
    }

    Xml close() {
        out.append("</").append(open.pop()).append('>');
        return this;
    }

    Xml element(String name, Object value) {
        out.append('<').append(name).append('>');
        escape(String.valueOf(value));
        out.append("</").append(name).append('>');
        return this;
    }

    Xml text(String text) {
        escape(text);
        return this;
    }

    byte[] toBytes() {
        while (!open.isEmpty()) {
            close();
        }
        return out.toString().getBytes(StandardCharsets.UTF_8);
    }

    /** A request body's XML, parsed without reading any DTD or external entity: the body is a client's. */
    static Document parse(byte[] body, Supplier<S3Exception> malformed) {
        try {
            DocumentBuilderFactory factory = DocumentBuilderFactory.newInstance();
            factory.setNamespaceAware(true);
            factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
            factory.setFeature(XMLConstants.FEATURE_SECURE_PROCESSING, true);
            factory.setXIncludeAware(false);
            factory.setExpandEntityReferences(false);
            DocumentBuilder builder = factory.newDocumentBuilder();
            builder.setErrorHandler(new DefaultHandler());
            return builder.parse(new ByteArrayInputStream(body));
        } catch (SAXException | IOException e) {
            throw malformed.get();
        } catch (ParserConfigurationException e) {
            throw new IllegalStateException("the JDK's XML parser refused its secure settings", e);
        }
    }

    /** The text of each child element of {@code parent} named {@code name}, in order. */
    static List<String> texts(Element parent, String name) {
        List<String> texts = new ArrayList<>();
        NodeList nodes = parent.getElementsByTagNameNS("*", name);
        for (int i = 0; i < nodes.getLength(); i++) {
            texts.add(nodes.item(i).getTextContent());
        }
        return texts;
    }

    /** Escapes markup and the characters XML 1.0 cannot carry at all (they are listed as numeric references). */
    private void escape(String text) {
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            switch (c) {
                case '<' -> out.append("&lt;");
                case '>' -> out.append("&gt;");
                case '&' -> out.append("&amp;");
                case '"' -> out.append("&quot;");
                case '\'' -> out.append("&apos;");
                default -> {
                    if (c < 0x20 && c != '\t' && c != '\n' && c != '\r') {
                        out.append("&#").append((int) c).append(';');
                    } else {
                        out.append(c);
                    }
                }
            }
        }
    }
}
