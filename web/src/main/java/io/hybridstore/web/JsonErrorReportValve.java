package io.hybridstore.web;

import org.apache.catalina.connector.Request;
import org.apache.catalina.connector.Response;
import org.apache.catalina.valves.ErrorReportValve;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;

/**
 * Renders errors that Tomcat produces before a request reaches Spring MVC (such as a URI it refuses to decode) as
 * {@link ErrorBody} JSON, like every other error of this API. Instantiated by Tomcat by class name.
 */
public final class JsonErrorReportValve extends ErrorReportValve {

    @Override
    protected void report(Request request, Response response, Throwable throwable) {
        int status = response.getStatus();
        if (status < 400 || response.getContentWritten() > 0 || !response.setErrorReported()) {
            return;
        }
        try {
            response.setContentType("application/json");
            response.setCharacterEncoding(StandardCharsets.UTF_8.name());
            Writer writer = response.getReporter();
            if (writer != null) {
                writer.write("{\"error\":\"" + ErrorBody.codeFor(status)
                        + "\",\"detail\":\"request refused by the HTTP server (status " + status + ")\"}");
                response.finishResponse();
            }
        } catch (IOException | IllegalStateException e) {
            // The client is gone or the response was already committed; there is nobody left to tell.
        }
    }
}
