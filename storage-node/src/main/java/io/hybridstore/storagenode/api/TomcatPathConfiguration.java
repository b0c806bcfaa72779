package io.hybridstore.storagenode.api;

import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Lets an encoded slash ({@code %2F}) through to Spring MVC still encoded. Tomcat's default rejects such paths
 * before any application code runs, with an HTML page instead of our JSON error; passed through, a request like
 * {@code /blobs/..%2F..%2Fetc%2Fpasswd} reaches the blob-id validation as one path segment and gets a JSON 400.
 * Decoding it instead would turn it into a different path.
 */
@Configuration(proxyBeanMethods = false)
class TomcatPathConfiguration {

    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> encodedSlashPassthrough() {
        return factory -> factory.addConnectorCustomizers(connector -> connector.setEncodedSolidusHandling("passthrough"));
    }
}
