import { useEffect, useRef } from 'react';
import { MigrantShell } from './app/MigrantShell.tsx';
import { PostsPage } from './app/PostsPage.tsx';
import { ConsoleRoutes } from './console/ConsoleRoutes.tsx';
import { ConsoleShell } from './console/ConsoleShell.tsx';
import { NotFoundPage } from './shared/NotFoundPage.tsx';
import { matchPath, usePathname } from './shared/router.tsx';

/** After moving to another page, focus goes to its content, so a screen reader starts reading there. */
function useFocusOnNavigation(pathname: string): void {
  const previous = useRef(pathname);
  useEffect(() => {
    if (previous.current === pathname) return;
    previous.current = pathname;
    document.getElementById('main')?.focus({ preventScroll: true });
  }, [pathname]);
}

/** Routes: the migrant app under /app, the officer console everywhere else. */
export function App() {
  const pathname = usePathname();
  useFocusOnNavigation(pathname);

  if (pathname === '/app' || pathname.startsWith('/app/')) {
    return <MigrantShell>{matchPath('/app', pathname) ? <PostsPage /> : <NotFoundPage />}</MigrantShell>;
  }

  return (
    <ConsoleShell pathname={pathname}>
      <ConsoleRoutes pathname={pathname} />
    </ConsoleShell>
  );
}
