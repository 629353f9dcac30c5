import { useEffect, useRef } from 'react';
import { ConsoleRoutes } from './console/ConsoleRoutes.tsx';
import { ConsoleShell } from './console/ConsoleShell.tsx';
import { usePathname } from './shared/router.tsx';

/** After moving to another page, focus goes to its content, so a screen reader starts reading there. */
function useFocusOnNavigation(pathname: string): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}

/** The migrant app is a page of its own (app/index.html): reached from the console, it loads in full. */
function MigrantAppPage({ pathname }: { pathname: string }) {
  useEffect(() => window.location.replace(pathname), [pathname]);
  return null;
}

/** Routes: the officer console; /app belongs to the migrant app, served as its own page. */
export function App() {
  const pathname = usePathname();
  useFocusOnNavigation(pathname);

  if (pathname === '/app' || pathname.startsWith('/app/')) return <MigrantAppPage pathname={pathname} />;

  return (
    <ConsoleShell pathname={pathname}>
      <ConsoleRoutes pathname={pathname} />
    </ConsoleShell>
  );
}
