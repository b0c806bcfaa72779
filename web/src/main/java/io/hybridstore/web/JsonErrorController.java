package io.hybridstore.web;

import jakarta.servlet.RequestDispatcher;
import jakarta.servlet.http.HttpServletRequest;
import org.springframework.boot.webmvc.error.ErrorController;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * The error page the servlet container forwards to when a response ends in an error no handler answered: Tomcat
 * giving up on a body that stopped arriving (408), a filter's {@code sendError}. It replaces Spring Boot's
 * {@code BasicErrorController}, whose {@code {timestamp, status, error, path}} body would break the
 * {@code {error, detail}} contract.
 */
@RestController
class JsonErrorController implements ErrorController {

    @RequestMapping("${server.error.path:/error}")
    ResponseEntity<ErrorBody> error(HttpServletRequest request) {
        Object code = request.getAttribute(RequestDispatcher.ERROR_STATUS_CODE);
        int status = code instanceof Integer value ? value : HttpStatus.INTERNAL_SERVER_ERROR.value();
        HttpStatus known = HttpStatus.resolve(status);
        Object message = request.getAttribute(RequestDispatcher.ERROR_MESSAGE);
        String detail = message instanceof String text && !text.isBlank() ? text
                : known != null ? known.getReasonPhrase() : "HTTP " + status;
        return ResponseEntity.status(status).body(new ErrorBody(ErrorBody.codeFor(status), detail));
    }
}
