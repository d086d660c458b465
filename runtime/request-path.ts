// The decoded segments of a request's path, for functions serving several fixed routes.

/** `/services/gitea/enable` → `["services", "gitea", "enable"]`. */
export function pathSegments(request: Request): string[] {
  return new URL(request.url).pathname
    .split('/')
    .filter((segment) => segment !== '')
    .map((segment) => {
      try {
        return decodeURIComponent(segment);
      } catch {
        return segment;
      }
    });
}
