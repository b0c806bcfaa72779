package io.hybridstore.gateway.s3;

import io.etcd.jetcd.Client;
import io.hybridstore.common.etcd.EtcdKeys;
import io.hybridstore.common.etcd.EtcdProperties;
import io.hybridstore.common.manifest.VersionIds;
import io.hybridstore.common.metadata.ManifestStore;
import io.hybridstore.gateway.GatewayProperties;
import io.hybridstore.gateway.access.AccessKeys;
import io.hybridstore.gateway.delete.DeleteCoordinator;
import io.hybridstore.gateway.memory.MemoryBudget;
import io.hybridstore.gateway.read.ReadCoordinator;
import io.hybridstore.gateway.s3.auth.SigV4Verifier;
import io.hybridstore.gateway.write.WriteCoordinator;
import org.apache.catalina.connector.Connector;
import org.apache.tomcat.util.threads.VirtualThreadExecutor;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.tomcat.servlet.TomcatServletWebServerFactory;
import org.springframework.boot.web.server.WebServerFactoryCustomizer;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.Ordered;

import java.time.Clock;

/**
 * The S3 API's listener and collaborators. Its port is a second Tomcat connector of the gateway, so S3 and the native
 * API share one process, one set of coordinators and one memory budget, yet a request on either port can never be
 * taken for the other's.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(S3Properties.class)
class S3Configuration {

    private static final Logger log = LoggerFactory.getLogger(S3Configuration.class);

    @Bean
    Buckets buckets(Client etcd, EtcdKeys keys, ManifestStore manifests, EtcdProperties etcdProperties, Clock clock) {
        return new Buckets(etcd.getKVClient(), keys, manifests, etcdProperties.requestTimeout(), clock);
    }

    @Bean
    FilterRegistrationBean<S3Api> s3Api(S3Properties properties, Buckets buckets, ManifestStore manifests,
                                       EtcdKeys keys, WriteCoordinator writes, ReadCoordinator reads,
                                       DeleteCoordinator deletes, MemoryBudget memory, GatewayProperties gateway,
                                       Client etcd, EtcdProperties etcdProperties, VersionIds versionIds,
                                       AccessKeys accessKeys, Clock clock) {
        if (properties.enabled() && (properties.accessKey().isEmpty() || properties.secretKey().isEmpty())) {
            log.warn("The S3 API on port {} has no root key (hybridstore.s3.access-key and secret-key are not set):"
                    + " it accepts only access keys created earlier through the admin API", properties.port());
        }
        SigV4Verifier verifier = new SigV4Verifier(accessKey -> accessKeys.find(accessKey)
                .map(AccessKeys.Credentials::secret), clock);
        ObjectOperations objects = new ObjectOperations(writes, reads, deletes, manifests, buckets, memory, gateway);
        Multipart multipart = new Multipart(etcd.getKVClient(), keys, manifests, buckets, writes, deletes, memory,
                versionIds, clock, etcdProperties.requestTimeout(), gateway.maxBodySize().toBytes(),
                objects.stripedWriteWorkingSet());
        S3Api api = new S3Api(properties, verifier, accessKeys, new BucketOperations(buckets, new Listing(manifests, keys), properties),
                objects, multipart);
        FilterRegistrationBean<S3Api> registration = new FilterRegistrationBean<>(api);
        registration.setOrder(Ordered.HIGHEST_PRECEDENCE);
        registration.addUrlPatterns("/*");
        registration.setEnabled(properties.enabled());
        return registration;
    }

    /**
     * The S3 connector. Boot applies its server.tomcat settings to the main connector only, so the ones the S3 API
     * relies on are set here: virtual threads, no cap on the body Tomcat drains after an early answer, the same
     * timeouts for a stalled client and an idle connection (server.tomcat.keep-alive-timeout says why), '%2F'
     * passed through (S3 keys may contain an encoded '/'), and a path that is not UTF-8 left for the S3 API to
     * refuse.
     */
    @Bean
    WebServerFactoryCustomizer<TomcatServletWebServerFactory> s3Connector(S3Properties properties) {
        return factory -> {
            if (!properties.enabled()) {
                return;
            }
            Connector connector = new Connector(TomcatServletWebServerFactory.DEFAULT_PROTOCOL);
            connector.setPort(properties.port());
            // The same interface as the native API's listener (server.address): both face nginx alone.
            if (factory.getAddress() != null) {
                connector.setProperty("address", factory.getAddress().getHostAddress());
            }
            connector.setMaxPostSize(-1);
            connector.setEncodedSolidusHandling("passthrough");
            // Tomcat decodes the path only to map it to a servlet; as Latin-1 it cannot fail, so a key that is not
            // UTF-8 reaches the S3 API, which decodes the raw path itself and answers with an S3 error.
            connector.setURIEncoding("ISO-8859-1");
            connector.setProperty("maxSwallowSize", "-1");
            connector.setProperty("connectionTimeout", "20000");
            connector.setProperty("keepAliveTimeout", "75000");
            connector.setProperty("maxKeepAliveRequests", "-1");
            connector.getProtocolHandler().setExecutor(new VirtualThreadExecutor("s3-"));
            factory.addAdditionalConnectors(connector);
        };
    }
}
