import { expect, test } from '@playwright/test';
import { openLab, terminalText, typeCommand } from './helpers';

const screen = '[data-testid="terminal"] .xterm-rows';

test('kubectl exec -it opens a shell in the container, with its prompt, until exit', async ({ page }) => {
  await openLab(page);
  await typeCommand(page, 'kubectl run shell-demo --image=nginx:1.27');
  await typeCommand(page, 'kubectl wait --for=condition=Ready pod/shell-demo');
  await expect(page.locator(screen)).toContainText('pod/shell-demo condition met');

  await typeCommand(page, 'kubectl exec -it shell-demo -- /bin/bash');
  // The terminal now belongs to bash in the container: its prompt, its programs.
  await expect(page.locator(screen)).toContainText('root@shell-demo:/#');
  await typeCommand(page, "echo 'Hello shell demo' > /usr/share/nginx/html/index.html");
  await typeCommand(page, 'curl -s localhost');
  await expect(page.locator(screen)).toContainText('Hello shell demo');
  await typeCommand(page, 'ps aux');
  await expect(page.locator(screen)).toContainText('bash: ps: command not found');
  await typeCommand(page, 'exit');

  // Back in the lab's shell: kubectl works again and sees the same container.
  await typeCommand(page, 'kubectl exec shell-demo -- cat /usr/share/nginx/html/index.html');
  await expect.poll(async () => (await terminalText(page)).split('Hello shell demo').length).toBe(4);
  const lines = (await terminalText(page)).split('\n').map((l) => l.trimEnd());
  expect(lines).toContain('$ kubectl exec shell-demo -- cat /usr/share/nginx/html/index.html');
});
