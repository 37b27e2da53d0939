import { render, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { describe, expect, it } from 'vitest';
import { ShowMore, useShownRows } from './show-more';

function Readings({ total }: { readonly total: number }) {
  const { shown, more } = useShownRows(total);
  return (
    <>
      <button type="button">Before the table</button>
      <table>
        <tbody>
          {Array.from({ length: shown }, (_, i) => (
            <tr key={i}>
              <td>{i}</td>
            </tr>
          ))}
        </tbody>
      </table>
      <ShowMore what="Heart rate readings" shown={shown} total={total} onMore={more} />
    </>
  );
}

describe('ShowMore', () => {
  it('shows more rows a press at a time, naming what is left', async () => {
    const user = userEvent.setup();
    render(<Readings total={250} />);
    expect(screen.getAllByRole('row')).toHaveLength(20);
    await user.click(
      screen.getByRole('button', { name: 'Show 100 more Heart rate readings, 230 not shown' }),
    );
    expect(screen.getAllByRole('row')).toHaveLength(120);
    expect(screen.getByText('120 of 250 shown, newest first.')).toBeTruthy();
  });

  it('leaves focus where the button was once the last rows show, not on the page', async () => {
    const user = userEvent.setup();
    render(<Readings total={130} />);
    await user.click(screen.getByRole('button', { name: /^Show 100 more/ }));
    const last = screen.getByRole('button', { name: 'Show 10 more Heart rate readings, 10 not shown' });
    expect(document.activeElement).toBe(last);
    await user.keyboard('{Enter}');
    expect(screen.getAllByRole('row')).toHaveLength(130);
    expect(screen.queryByRole('button', { name: /^Show/ })).toBeNull();
    const done = screen.getByText('All 130 shown, newest first.');
    expect(document.activeElement).toBe(done);
    // Where the reader was: the next Tab goes on from the end of the table, Shift+Tab back into the page.
    expect(done.tabIndex).toBe(-1);
  });

  it('says nothing under a table short enough to show whole', () => {
    const { container } = render(
      <ShowMore what="Heart rate readings" shown={12} total={12} onMore={() => {}} />,
    );
    expect(container.textContent).toBe('');
  });
});
