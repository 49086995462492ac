import { lazy, Suspense } from 'react';
import { Notice } from './components/Page';
import { HomePage } from './home/HomePage';
import { useI18n } from './i18n/I18n';
import { matchRoute, usePath } from './lib/router';
import { JoinPage } from './tablet/JoinPage';
import { TabletApp } from './tablet/TabletApp';

// The charts (recharts) are only on the laptop and the projector: tablets on the room's
// Wi-Fi do not download them.
const FacilitatorConsole = lazy(() => import('./facilitator/FacilitatorConsole').then((m) => ({ default: m.FacilitatorConsole })));
const ReportPage = lazy(() => import('./facilitator/ReportPage').then((m) => ({ default: m.ReportPage })));
const ProjectorView = lazy(() => import('./projector/ProjectorView').then((m) => ({ default: m.ProjectorView })));
const ObserverView = lazy(() => import('./observer/ObserverView').then((m) => ({ default: m.ObserverView })));
const AgendaEditor = lazy(() => import('./facilitator/AgendaEditor').then((m) => ({ default: m.AgendaEditorPage })));
const PlenaryPage = lazy(() => import('./facilitator/PlenaryPage').then((m) => ({ default: m.PlenaryPage })));
import { HostView } from './host/HostView';

function Loading() {
  const { t } = useI18n();
  return <p className="page--narrow">{t.common.loading}</p>;
}

function NotFound() {
  const { t } = useI18n();
  return <Notice title={t.errors.not_found} />;
}

export function App() {
  return (
    <Suspense fallback={<Loading />}>
      <Page />
    </Suspense>
  );
}

function Page() {
  const route = matchRoute(usePath());
  switch (route.page) {
    case 'home':
      return <HomePage />;
    case 'join':
      return <JoinPage key={route.code} code={route.code} />;
    case 'tablet':
      return <TabletApp key={route.sessionId} sessionId={route.sessionId} />;
    case 'facilitator':
      return <FacilitatorConsole key={route.sessionId} sessionId={route.sessionId} />;
    case 'report':
      return <ReportPage key={route.sessionId} sessionId={route.sessionId} />;
    case 'projector':
      return <ProjectorView key={route.sessionId} sessionId={route.sessionId} />;
    case 'observer':
      return <ObserverView key={route.sessionId} sessionId={route.sessionId} />;
    case 'host':
      return <HostView key={`${route.sessionId}/${route.table}`} sessionId={route.sessionId} table={route.table} />;
    case 'agenda':
      return <AgendaEditor key={route.sessionId} sessionId={route.sessionId} />;
    case 'plenary':
      return <PlenaryPage key={route.sessionId} sessionId={route.sessionId} />;
    default:
      return <NotFound />;
  }
}
