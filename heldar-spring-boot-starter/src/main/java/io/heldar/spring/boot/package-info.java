/**
 * Heldar in a Spring Boot 3 application: add {@code io.heldar:heldar-spring-boot-starter}, set
 * {@code heldar.recordings-root} and {@code heldar.store.url}, and Heldar runs with the application
 * ({@link io.heldar.spring.boot.HeldarAutoConfiguration}, {@link
 * io.heldar.spring.boot.HeldarProperties}). See docs/spring-boot.md.
 */
package io.heldar.spring.boot;
