package io.hybridstore.web;

import org.apache.catalina.core.StandardHost;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Keeps hostile paths inside the JSON error contract, on the gateway and the storage node alike (each imports it).
 * <ul>
 *   <li>An encoded slash or backslash ({@code %2F}, {@code %5C}) is passed through to Spring MVC still encoded.
 *       Tomcat's default rejects such paths with an HTML page before any application code runs; decoding them
 *       instead would turn {@code /blobs/..%2F..%2Fetc%2Fpasswd} into a different path. Passed through, it stays
 *       one path segment: a storage node's blob-id validation refuses it with a JSON 400, and the gateway reads
 *       {@code /read/a%2Fb} as key {@code a/b}, since keys are taken from the raw path and decoded once.</li>
 *   <li>What Tomcat still rejects itself (an encoded NUL, a malformed escape, invalid UTF-8 in the path) gets a
 *       JSON body from {@link JsonErrorReportValve} instead of Tomcat's HTML page.</li>
 * </ul>
 */
@Configuration(proxyBeanMethods = false)
public class TomcatConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> hostilePathHandling() {
        return factory -> {
            factory.addConnectorCustomizers(connector -> {
                connector.setEncodedSolidusHandling("passthrough");
                connector.setEncodedReverseSolidusHandling("passthrough");
            });
            factory.addContextCustomizers(context -> {
                if (context.getParent() instanceof StandardHost host) {
                    host.setErrorReportValveClass(JsonErrorReportValve.class.getName());
                }
            });
        };
    }
}
