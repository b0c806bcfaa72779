package io.hybridstore.web;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestMethod;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.request.async.AsyncRequestNotUsableException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.TreeSet;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The contract every service gets from this module, on a real embedded Tomcat with a stand-in service. */
@SpringBootTest(classes = WebContractTest.Service.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class WebContractTest {

    private static final JsonMapper json = JsonMapper.builder().build();
    private final HttpClient http = HttpClient.newHttpClient();

    @LocalServerPort
    private int port;

    @SpringBootConfiguration
    @EnableAutoConfiguration
    @Import({TomcatConfiguration.class, EchoController.class, ServiceErrors.class})
    static class Service {
    }

    @RestController
    static class EchoController {

        /** What the service sees: its parameter names and its body. */
        @RequestMapping(path = "/echo", method = {RequestMethod.POST, RequestMethod.PUT, RequestMethod.DELETE,
                RequestMethod.PATCH})
        Map<String, Object> echo(HttpServletRequest request) throws IOException {
            return Map.of("parameters", new TreeSet<>(request.getParameterMap().keySet()),
                    "body", new String(request.getInputStream().readAllBytes(), StandardCharsets.UTF_8));
        }

        @GetMapping("/bug")
        String bug() {
            throw new IllegalStateException("a bug's secret detail");
        }

        @GetMapping("/mapped")
        String mapped() {
            throw new UnsupportedOperationException("mapped by the service");
        }

        /** What Tomcat does itself when a request body stops arriving. */
        @GetMapping("/container-error")
        void containerError(HttpServletResponse response) throws IOException {
            response.sendError(408);
        }

        @GetMapping("/typed")
        String typed(@RequestParam int n) {
            return Integer.toString(n);
        }
    }

    @RestControllerAdvice
    static class ServiceErrors extends JsonErrors {

        @ExceptionHandler
        ResponseEntity<ErrorBody> mapped(UnsupportedOperationException e) {
            return answer(HttpStatus.CONFLICT, "service_specific", e.getMessage());
        }
    }

    private HttpResponse<String> send(String method, String path, String contentType, String body)
            throws IOException, InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody()
                        : HttpRequest.BodyPublishers.ofString(body));
        if (contentType != null) {
            request.header("Content-Type", contentType);
        }
        return http.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    @ParameterizedTest
    @ValueSource(strings = {"POST", "PUT", "DELETE", "PATCH"})
    void aFormBodyIsABodyNeverParameters(String method) throws Exception {
        HttpResponse<String> response = send(method, "/echo?q=1", "application/x-www-form-urlencoded",
                "{\"like_count\":2}&durable=false");

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("parameters").toString()).isEqualTo("[\"q\"]");
        assertThat(answer.get("body").asString()).isEqualTo("{\"like_count\":2}&durable=false");
    }

    @Test
    void aMultipartBodyIsABodyNeverParameters() throws Exception {
        String body = "--b\r\nContent-Disposition: form-data; name=\"smuggled\"\r\n\r\nvalue\r\n--b--\r\n";

        HttpResponse<String> response = send("POST", "/echo", "multipart/form-data; boundary=b", body);

        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        JsonNode answer = json.readTree(response.body());
        assertThat(answer.get("parameters").toString()).isEqualTo("[]");
        assertThat(answer.get("body").asString()).isEqualTo(body);
    }

    @Test
    void anUnexpectedExceptionIs500InternalErrorWithTheJsonBodyAndNoStackTrace() throws Exception {
        HttpResponse<String> response = send("GET", "/bug", null, null);

        assertThat(response.statusCode()).isEqualTo(500);
        assertThat(response.headers().firstValue("Content-Type")).hasValueSatisfying(
                type -> assertThat(type).startsWith("application/json"));
        JsonNode error = json.readTree(response.body());
        assertThat(error.get("error").asString()).isEqualTo("internal_error");
        assertThat(error.get("detail").asString()).contains("IllegalStateException")
                .doesNotContain("secret", "at io.hybridstore");
        assertThat(error.properties()).hasSize(2);
    }

    @Test
    void theServicesOwnMappingWinsOverTheLastResort() throws Exception {
        HttpResponse<String> response = send("GET", "/mapped", null, null);

        assertThat(response.statusCode()).isEqualTo(409);
        assertThat(json.readTree(response.body()).get("error").asString()).isEqualTo("service_specific");
    }

    @Test
    void springsOwnRefusalsKeepTheirStatusWithTheJsonBody() throws Exception {
        assertError(send("GET", "/no/such/route", null, null), 404, "not_found");
        assertError(send("GET", "/echo", null, null), 405, "method_not_allowed");
        assertError(send("GET", "/typed", null, null), 400, "bad_request");
        assertError(send("GET", "/typed?n=abc", null, null), 400, "bad_request");
    }

    @Test
    void aClientThatWentAwayIsNeitherAnsweredNorLoggedAsAnError() {
        Logger logger = (Logger) LoggerFactory.getLogger(JsonErrors.class);
        ListAppender<ILoggingEvent> logged = new ListAppender<>();
        logged.start();
        logger.addAppender(logged);
        try {
            AsyncRequestNotUsableException hangUp =
                    new AsyncRequestNotUsableException("ServletOutputStream failed to write: Broken pipe");

            assertThatThrownBy(() -> new ServiceErrors().unmapped(hangUp)).isSameAs(hangUp);
            assertThat(logged.list).noneMatch(event -> event.getLevel().isGreaterOrEqual(Level.WARN));
        } finally {
            logger.detachAppender(logged);
        }
    }

    @Test
    void anErrorTheContainerAnswersItselfHasTheJsonBody() throws Exception {
        HttpResponse<String> response = send("GET", "/container-error", null, null);

        assertError(response, 408, "request_timeout");
        assertThat(json.readTree(response.body()).properties()).hasSize(2);
    }

    private static void assertError(HttpResponse<String> response, int status, String error) {
        assertThat(response.statusCode()).as(response.body()).isEqualTo(status);
        JsonNode body = json.readTree(response.body());
        assertThat(body.get("error").asString()).as(response.body()).isEqualTo(error);
        assertThat(body.has("detail")).isTrue();
    }
}
