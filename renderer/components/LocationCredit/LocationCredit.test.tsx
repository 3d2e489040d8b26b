import { describe, expect, it, vi } from 'vitest';
import { render, screen } from '@testing-library/react';
import type { About } from '../../../shared/api/about.js';
import { DBIP_CREDIT } from '../../../shared/api/about.js';
import { LocationCredit } from './LocationCredit.js';

const about = (credit: About['locationData']['credit']): About => ({ product: 'TAB', locationData: { name: 'DB-IP Lite City', builtAt: null, credit } });

describe('LocationCredit', () => {
  it('links back to DB-IP with its licence when the server uses the shipped database', async () => {
    render(<LocationCredit api={{ about: vi.fn(async () => about(DBIP_CREDIT)) }} />);
    const link = await screen.findByRole('link', { name: 'IP Geolocation by DB-IP' });
    expect(link).toHaveAttribute('href', 'https://db-ip.com');
    expect(link).toHaveAttribute('rel', 'noopener noreferrer');
    expect(screen.getByTestId('location-credit')).toHaveTextContent('Locations: IP Geolocation by DB-IP (CC BY 4.0)');
  });

  it('says nothing for a firm’s own database, or when the server cannot say', async () => {
    const own = vi.fn(async () => about(null));
    const { unmount } = render(<LocationCredit api={{ about: own }} />);
    await vi.waitFor(() => expect(own).toHaveBeenCalled());
    expect(screen.queryByTestId('location-credit')).toBeNull();
    unmount();
    render(<LocationCredit api={{ about: vi.fn(async () => Promise.reject(new Error('offline'))) }} />);
    render(<LocationCredit api={{}} />);
    await new Promise((r) => setTimeout(r, 10));
    expect(screen.queryByTestId('location-credit')).toBeNull();
  });

  it('asks once per API client, however many lists show it', async () => {
    const api = { about: vi.fn(async () => about(DBIP_CREDIT)) };
    render(
      <>
        <LocationCredit api={api} />
        <LocationCredit api={api} />
      </>,
    );
    expect(await screen.findAllByTestId('location-credit')).toHaveLength(2);
    expect(api.about).toHaveBeenCalledTimes(1);
  });
});
