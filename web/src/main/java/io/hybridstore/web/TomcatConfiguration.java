package io.hybridstore.web;

import jakarta.servlet.http.HttpServletRequest;
import org.apache.catalina.core.StandardHost;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.filter.FormContentFilter;
import org.springframework.web.multipart.MultipartException;
import org.springframework.web.multipart.MultipartHttpServletRequest;
import org.springframework.web.multipart.MultipartResolver;
import org.springframework.web.servlet.DispatcherServlet;

/**
 * Keeps hostile requests inside the JSON error contract, on every service alike (each imports it).
 * <ul>
 *   <li>An encoded slash or backslash ({@code %2F}, {@code %5C}) is passed through to Spring MVC still encoded.
 *       Tomcat's default rejects such paths with an HTML page before any application code runs; decoding them
 *       instead would turn {@code /blobs/..%2F..%2Fetc%2Fpasswd} into a different path. Passed through, it stays
 *       one path segment: a storage node's blob-id validation refuses it with a JSON 400, and the gateway reads
 *       {@code /read/a%2Fb} as key {@code a/b}, since keys are taken from the raw path and decoded once.</li>
 *   <li>What Tomcat still rejects itself (an encoded NUL, a malformed escape, invalid UTF-8 in the path) gets a
 *       JSON body from {@link JsonErrorReportValve} instead of Tomcat's HTML page.</li>
 *   <li>A body is never read as request parameters, whatever its Content-Type: parameters come from the query
 *       string only. Tomcat parses an {@code application/x-www-form-urlencoded} POST body into parameters by
 *       default, Spring's {@link FormContentFilter} does the same for PUT, PATCH and DELETE, and Spring's multipart
 *       resolver turns the fields of a {@code multipart/form-data} body into parameters; all three are off, so a
 *       JSON body sent with curl's default form type reaches the service as a body (the gateway answers 415).</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> hostileRequestHandling() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                connector.setEncodedSolidusHandling("passthrough");
                connector.setEncodedReverseSolidusHandling("passthrough");
                connector.setParseBodyMethods("");
            });
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
        };
    }

    /** Replaces Boot's error page body, so even a container-level error answers {@code {error, detail}}. */
    @Bean
    JsonErrorController jsonErrorController() {
        return new JsonErrorController();
    }

    /** Boot registers its FormContentFilter bean as a filter unless a registration for it says otherwise. */
    @Bean
    FilterRegistrationBean<FormContentFilter> formBodiesAreNotParameters(FormContentFilter formContentFilter) {
        FilterRegistrationBean<FormContentFilter> registration = new FilterRegistrationBean<>(formContentFilter);
        registration.setEnabled(false);
        return registration;
    }

    /**
     * Without a multipart config on the servlet, Tomcat no longer parses a multipart body when parameters are asked
     * for (it does so before, and regardless of, the connector's parse-body methods).
     */
    @Bean
    static BeanPostProcessor multipartBodiesAreNotParsedByTomcat() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof ServletRegistrationBean<?> servlet) {
                    servlet.setMultipartConfig(null);
                }
                return bean;
            }
        };
    }

    /** Replaces Boot's multipart resolver: no request is multipart here, its body stays a body. */
    @Bean(DispatcherServlet.MULTIPART_RESOLVER_BEAN_NAME)
    MultipartResolver multipartBodiesAreNotParameters() {
        return new MultipartResolver() {
            @Override
            public boolean isMultipart(HttpServletRequest request) {
                return false;
            }

            @Override
            public MultipartHttpServletRequest resolveMultipart(HttpServletRequest request) {
                throw new MultipartException("multipart requests are not accepted");
            }

            @Override
            public void cleanupMultipart(MultipartHttpServletRequest request) {
            }
        };
    }
}
