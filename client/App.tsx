import { FacilitatorConsole } from './facilitator/FacilitatorConsole';
import { ReportPage } from './facilitator/ReportPage';
import { HomePage } from './home/HomePage';
import { useI18n } from './i18n/I18n';
import { matchRoute, usePath } from './lib/router';
import { ProjectorView } from './projector/ProjectorView';
import { JoinPage } from './tablet/JoinPage';
import { TabletApp } from './tablet/TabletApp';

function NotFound() {
  const { t } = useI18n();
  return (
    <main className="page page--narrow notice">
      <h1>{t.errors.not_found}</h1>
      <a className="button" href="/">
        {t.common.home}
      </a>
    </main>
  );
}

export function App() {
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
    default:
      return <NotFound />;
  }
}
