package dev.kindemcp.bridge.resource;

import jakarta.ws.rs.NameBinding;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Marks a JAX-RS resource (class or method) as a tool API: MicroProfile JWT has verified a Kinde access token,
 * and {@link ToolApiFilter} turns it into the request's {@link Caller}, applies the organisation allowlist and
 * {@link UsersOnly}, and lets {@code @RolesAllowed} see a system actor's API scopes as permissions.
 *
 * <p>Related specifications:
 * @see <a href="https://jakarta.ee/specifications/restful-ws/3.1/jakarta-restful-ws-spec-3.1#Name_Binding">Jakarta RESTful Web Services 3.1 §6.5.2 Name Binding</a>
 */
@NameBinding
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.TYPE, ElementType.METHOD})
public @interface ToolApi {

    /**
     * The Kinde API audience this tool API belongs to, when {@code kinde.audience} lists several: a Kinde token
     * that does not carry it is refused (401 {@code invalid_token}), even when it carries another configured
     * audience. Empty (the default): any configured audience.
     */
    String audience() default "";
}
