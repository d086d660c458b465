// Starts Swagger UI on the docs page with this server's OpenAPI document.
/* global SwaggerUIBundle */
window.ui = SwaggerUIBundle({
  url: '/api/swagger.json',
  dom_id: '#swagger-ui',
  deepLinking: true,
  // The bearer token typed into "Authorize" survives a reload of the page (kept in this browser only).
  persistAuthorization: true,
  // No call to the public validator service: servers may have no outside access.
  validatorUrl: null,
  presets: [SwaggerUIBundle.presets.apis],
  layout: 'BaseLayout',
});
