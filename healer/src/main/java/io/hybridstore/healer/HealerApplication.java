package io.hybridstore.healer;

import io.hybridstore.web.TomcatConfiguration;
import io.hybridstore.web.auth.InternalEndpointsConfiguration;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;

import java.time.Clock;

@SpringBootApplication
@ConfigurationPropertiesScan
@Import({TomcatConfiguration.class, InternalEndpointsConfiguration.class})
public class HealerApplication {

    public static void main(String[] args) {
        SpringApplication.run(HealerApplication.class, args);
    }

    @Bean
    Clock clock() {
        return Clock.systemUTC();
    }
}
