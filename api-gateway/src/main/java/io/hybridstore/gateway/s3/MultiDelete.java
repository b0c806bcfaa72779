package io.hybridstore.gateway.s3;

import org.w3c.dom.Element;
import org.w3c.dom.Node;
import org.w3c.dom.NodeList;

import java.util.ArrayList;
import java.util.List;

/** DeleteObjects: up to 1,000 keys in one request, each deleted as DeleteObject would. */
final class MultiDelete {

    private static final int MAX_KEYS = 1000;

    private MultiDelete() {
    }

    static byte[] run(S3Request request, byte[] body, ObjectOperations objects) {
        if (request.header("content-md5").isEmpty() && request.headers().keySet().stream()
                .noneMatch(name -> name.startsWith("x-amz-checksum-"))) {
            throw new S3Exception(S3Error.INVALID_REQUEST, "Missing required header for this request: Content-MD5 "
                    + "or x-amz-checksum-*");
        }
        Element root = Xml.parse(body, MultiDelete::malformed).getDocumentElement();
        if (!root.getLocalName().equals("Delete")) {
            throw malformed();
        }
        boolean quiet = false;
        List<String> keys = new ArrayList<>();
        for (Node child = root.getFirstChild(); child != null; child = child.getNextSibling()) {
            if (!(child instanceof Element element)) {
                continue;
            }
            switch (element.getLocalName()) {
                case "Quiet" -> quiet = element.getTextContent().strip().equals("true");
                case "Object" -> keys.add(key(element));
                default -> throw malformed();
            }
        }
        if (keys.isEmpty() || keys.size() > MAX_KEYS) {
            throw malformed();
        }
        Xml xml = Xml.document("DeleteResult");
        for (String key : keys) {
            try {
                ObjectOperations.requireValidKey(key);
                objects.deleteQuietly(request.bucket(), key);
                if (!quiet) {
                    xml.open("Deleted").element("Key", key).close();
                }
            } catch (S3Exception e) {
                xml.open("Error").element("Key", key).element("Code", e.error().code())
                        .element("Message", e.getMessage()).close();
            } catch (RuntimeException e) {
                xml.open("Error").element("Key", key).element("Code", S3Error.SERVICE_UNAVAILABLE.code())
                        .element("Message", e.getMessage()).close();
            }
        }
        return xml.toBytes();
    }

    private static String key(Element object) {
        NodeList keys = object.getElementsByTagNameNS("*", "Key");
        if (keys.getLength() != 1) {
            throw malformed();
        }
        NodeList versions = object.getElementsByTagNameNS("*", "VersionId");
        if (versions.getLength() > 0 && !versions.item(0).getTextContent().equals("null")) {
            throw new S3Exception(S3Error.INVALID_ARGUMENT, "Invalid version id specified: buckets are unversioned");
        }
        return keys.item(0).getTextContent();
    }

    private static S3Exception malformed() {
        return new S3Exception(S3Error.MALFORMED_XML, "The XML you provided was not well-formed or did not validate "
                + "against our published schema (a <Delete> of 1 to " + MAX_KEYS + " <Object><Key>)");
    }
}
